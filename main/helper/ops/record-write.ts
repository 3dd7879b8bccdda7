import { recordPath } from '../../core/paths';
import type { HostOp } from './op';

/** the text of a record file: readable by people, one form for one record */
const recordText = (record: unknown): string => `${JSON.stringify(record, null, 2)}\n`;

/**
 * Writes /etc/kvmnet/networks/<name>.json (world-readable: it holds no secret, and the unprivileged
 * app reads it). The file name comes from the record's validated network name only.
 */
export const recordWrite: HostOp<'record.write'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    const path = recordPath(step.record.spec.name);
    return [{ ensure: 'file', path, content: (await io.readText(path)) ?? null }];
  },

  async run(step, io) {
    const path = recordPath(step.record.spec.name);
    await io.writeTextAtomic(path, recordText(step.record), 0o644);
    return path;
  },
};
