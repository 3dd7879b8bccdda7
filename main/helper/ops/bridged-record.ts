import { bridgedRecordPath } from '../../core/paths';
import { requireClaimableProfiles } from '../nm-control';
import type { HostOp } from './op';

/**
 * KVMNet's record of a bridge to the LAN (/etc/kvmnet/bridged for NetworkManager and networkd
 * bridges, /run/kvmnet/bridged for runtime ones). It comes first in a create plan: the profile
 * steps after it check their UUIDs against it.
 */
export const bridgedRecord: HostOp<'bridged.record'> = {
  check(step) {
    if (step.record && step.record.name !== step.network) return { code: 'INVALID_REQUEST', field: 'record.name', message: `the record is of network ${step.record.name}, not ${step.network}` };
    if (step.record && (step.record.persistence !== 'runtime') !== step.persistent) {
      return { code: 'INVALID_REQUEST', field: 'persistent', message: 'a runtime record lives under /run, a persistent one under /etc' };
    }
    return undefined;
  },
  // the networkd steps after it check their bridge against the record as this step leaves it
  simulate: (step, state) => (state.networkdRecords?.has(step.network) && step.persistent
    ? { ...state, networkdRecords: new Map(state.networkdRecords).set(step.network, step.record ?? undefined) }
    : state),

  async inverse(step, io) {
    if (step.record) await requireClaimableProfiles(io, step.record);
    const path = bridgedRecordPath(step.network, step.persistent);
    return [{ ensure: 'file', path, content: (await io.readText(path)) ?? null }];
  },

  async run(step, io) {
    const path = bridgedRecordPath(step.network, step.persistent);
    if (step.record === null) await io.removeFile(path);
    else await io.writeTextAtomic(path, `${JSON.stringify(step.record, null, 2)}\n`, 0o644);
    return path;
  },
};
