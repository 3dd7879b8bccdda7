import { leasesPath, recordPath } from '../../core/paths';
import type { HostOp } from './op';

/**
 * Forgets a network: removes its record and the DHCP leases its dnsmasq kept, which belong to no
 * one once the network is gone (they stay across stop/start, so guests keep their addresses).
 * Files already gone are not an error. The inverse writes both back as they were.
 */
export const recordDelete: HostOp<'record.delete'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    const paths = [recordPath(step.network), leasesPath(step.network)];
    return Promise.all(paths.map(async (path) => ({ ensure: 'file' as const, path, content: (await io.readText(path)) ?? null })));
  },

  async run(step, io) {
    await io.removeFile(recordPath(step.network));
    await io.removeFile(leasesPath(step.network));
    return undefined;
  },
};
