import type { NetworkSpec } from '../network/network-spec';
import type { Step } from '../../helper/protocol';
import type { NetworkRecord } from '../network/network-record';
import type { IpForwardValue, PlanContext } from './plan-context';

/**
 * Bookkeeping for net.ipv4.ip_forward, which NAT and routed networks need and which is one switch
 * for the whole host. KVMNet turns it on only when it is off, and the record of the network that
 * did so remembers the value before ("0"). Exactly one record of a forwarding network carries that
 * memory: when its network goes while others still forward, the memory moves to one of them; when
 * the last forwarding network goes, the value is restored, unless a running libvirt network
 * forwards too (libvirt turned it on for its own NAT and would lose its guests' traffic).
 */
export const IP_FORWARD_KEY = 'net.ipv4.ip_forward';

export const needsForwarding = (spec: NetworkSpec): boolean => spec.kind === 'nat' || spec.kind === 'routed';

export const setIpForward = (value: IpForwardValue): Step => ({ op: 'sysctl.set', key: IP_FORWARD_KEY, value });

/** the step that turns forwarding on for `spec`, when it is off */
export function forwardingOnSteps(spec: NetworkSpec, ipForward: IpForwardValue): Step[] {
  return needsForwarding(spec) && ipForward === '0' ? [setIpForward('1')] : [];
}

const forwardingRecords = (records: readonly NetworkRecord[], except: string): NetworkRecord[] =>
  records.filter((r) => r.spec.name !== except && needsForwarding(r.spec));

/**
 * `record` as it must be stored once its network runs: it takes the memory of the value before
 * when this network is the one turning forwarding on and no other record holds that memory yet.
 */
export function withForwardingMemory(record: NetworkRecord, context: Pick<PlanContext, 'records' | 'ipForward'>): NetworkRecord {
  if (record.ipForwardBefore !== undefined || !needsForwarding(record.spec) || context.ipForward === '1') return record;
  const remembered = forwardingRecords(context.records, record.spec.name).some((r) => r.ipForwardBefore !== undefined);
  return remembered ? record : { ...record, ipForwardBefore: '0' };
}

export interface ForwardingOnDelete {
  /** another forwarding network's record, rewritten to carry the memory of the value before */
  handover?: NetworkRecord;
  /** restores the value before, when the last forwarding network goes */
  restore: Step[];
}

export function forwardingOnDelete(record: NetworkRecord, context: PlanContext): ForwardingOnDelete {
  if (!needsForwarding(record.spec)) return { restore: [] };
  const others = forwardingRecords(context.records, record.spec.name);
  const heir = others[0];
  if (heir) {
    const handover = record.ipForwardBefore !== undefined && others.every((r) => r.ipForwardBefore === undefined);
    return handover ? { handover: { ...heir, ipForwardBefore: record.ipForwardBefore }, restore: [] } : { restore: [] };
  }
  const before = record.ipForwardBefore;
  if (before === undefined || before === context.ipForward || libvirtForwards(context)) return { restore: [] };
  return { restore: [setIpForward(before)] };
}

function libvirtForwards(context: PlanContext): boolean {
  return context.snapshot.libvirt.networks.some((n) => n.active && (n.forwardMode === 'nat' || n.forwardMode === 'route'));
}
