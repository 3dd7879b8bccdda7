import { readdir, readFile } from 'node:fs/promises';
import { BridgedRecord } from '../../core/bridge-to-lan/bridged-record';
import { BRIDGED_DIR, PENDING_DIR, RUNTIME_BRIDGED_DIR, pendingOutcomePath, pendingPath } from '../../core/paths';
import { PendingChange, PendingOutcome } from '../../core/bridge-to-lan/bridged-steps';

/** A bridge to the LAN as the app and `kvmnet bridges` show it. */
export interface BridgedStatus {
  readonly name: string;
  readonly uplink: string;
  readonly bridge: string;
  readonly persistence: BridgedRecord['persistence'];
  /** 'active': kept; 'pending-create' / 'pending-delete': waiting for confirmation until `deadline` */
  readonly state: 'active' | 'pending-create' | 'pending-delete';
  readonly deadline?: string;
  readonly secondsLeft?: number;
  /** past its deadline and not yet cleaned up: NetworkManager has rolled it back, or its timer died and the next helper start will */
  readonly overdue?: boolean;
  readonly record?: BridgedRecord;
}

async function readJson<T>(path: string, parse: (value: unknown) => T): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const namesIn = async (dir: string, suffix: string): Promise<string[]> =>
  (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(suffix) && !n.endsWith(`.outcome${suffix}`)).map((n) => n.slice(0, -suffix.length));

export const readPending = (network: string): Promise<PendingChange | undefined> => readJson(pendingPath(network), (v) => PendingChange.parse(v));
export const readPendingOutcome = (network: string): Promise<PendingOutcome | undefined> => readJson(pendingOutcomePath(network), (v) => PendingOutcome.parse(v));

export async function readBridgedRecords(): Promise<BridgedRecord[]> {
  const records: BridgedRecord[] = [];
  for (const dir of [BRIDGED_DIR, RUNTIME_BRIDGED_DIR]) {
    for (const name of await namesIn(dir, '.json')) {
      const record = await readJson(`${dir}/${name}.json`, (v) => BridgedRecord.parse(v));
      if (record) records.push(record);
    }
  }
  return records;
}

export const readBridgedRecord = async (network: string): Promise<BridgedRecord | undefined> =>
  (await readBridgedRecords()).find((r) => r.name === network);

/**
 * Every bridge to the LAN with its state, read from KVMNet's records and the changes that wait for
 * confirmation (world-readable files under /etc/kvmnet and /run/kvmnet), so an unprivileged app or
 * a second `kvmnet` process sees the countdown of a change another process made.
 */
export async function readBridgedStatus(now: number = Date.now()): Promise<BridgedStatus[]> {
  const records = await readBridgedRecords();
  const pendings = (await Promise.all((await namesIn(PENDING_DIR, '.json')).map(readPending))).filter((p): p is PendingChange => p !== undefined);
  const names = [...new Set([...records.map((r) => r.name), ...pendings.map((p) => p.network)])].sort();
  return names.map((name) => {
    const record = records.find((r) => r.name === name);
    const pending = pendings.find((p) => p.network === name);
    const base = pending ?? record!;
    return {
      name,
      uplink: base.uplink,
      bridge: base.bridge,
      persistence: pending?.persistence ?? record!.persistence,
      state: pending ? (pending.action === 'create' ? 'pending-create' : 'pending-delete') : 'active',
      ...(pending ? { deadline: pending.deadline, secondsLeft: Math.max(0, Math.round((Date.parse(pending.deadline) - now) / 1000)), overdue: Date.parse(pending.deadline) < now } : {}),
      ...(record ? { record } : {}),
    };
  });
}
