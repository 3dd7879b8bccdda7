import type { NetworkSpec } from '../network/network-spec';
import type { Step } from '../../helper/protocol';
import type { NetworkRecord } from '../network/network-record';
import type { IpForwardValue, PlanContext } from './plan-context';

/**
 * Bookkeeping for the host-wide forwarding switches that nat and routed networks need:
 * net.ipv4.ip_forward, and net.ipv6.conf.all.forwarding for those with an IPv6 subnet. KVMNet
 * turns a switch on only when it is off, and the record of the network that did so remembers the
 * value before ("0"). Exactly one record of the networks that need a switch carries that memory:
 * when its network goes while others still need the switch, the memory moves to one of them; when
 * the last one goes, the value is restored, unless a running libvirt network forwards too (libvirt
 * turned it on for its own NAT and would lose its guests' traffic).
 * A routed network with proxy ARP needs a third switch of the same kind, per uplink:
 * net.ipv4.conf.<uplink>.proxy_arp, shared by the proxy-ARP networks on that uplink only.
 */
export const IP_FORWARD_KEY = 'net.ipv4.ip_forward';
export const IPV6_FORWARDING_KEY = 'net.ipv6.conf.all.forwarding';

export const needsForwarding = (spec: NetworkSpec): boolean => spec.kind === 'nat' || spec.kind === 'routed';
export const needsIpv6Forwarding = (spec: NetworkSpec): boolean => needsForwarding(spec) && spec.ipv6 !== undefined;

export const setIpForward = (value: IpForwardValue): Step => ({ op: 'sysctl.set', key: IP_FORWARD_KEY, value });
export const setIpv6Forwarding = (value: IpForwardValue): Step => ({ op: 'sysctl.set', key: IPV6_FORWARDING_KEY, value });

export const proxyArpKey = (uplink: string): string => `net.ipv4.conf.${uplink}.proxy_arp`;

type ForwardingContext = Pick<PlanContext, 'ipForward' | 'ipv6' | 'proxyArp'>;

interface ForwardingSwitch {
  /** libvirt's running NAT and routed networks rely on it too */
  readonly sharedWithLibvirt: boolean;
  needs(spec: NetworkSpec): boolean;
  /** the switch now; undefined when the kernel has none (booted without IPv6) */
  current(context: ForwardingContext): IpForwardValue | undefined;
  set(value: IpForwardValue): Step;
  before(record: NetworkRecord): IpForwardValue | undefined;
  remember(record: NetworkRecord, value: IpForwardValue | undefined): NetworkRecord;
}

const SWITCHES: readonly ForwardingSwitch[] = [
  {
    sharedWithLibvirt: true,
    needs: needsForwarding,
    current: (c) => c.ipForward,
    set: setIpForward,
    before: (r) => r.ipForwardBefore,
    remember: ({ ipForwardBefore: _, ...r }, value) => ({ ...r, ...(value !== undefined && { ipForwardBefore: value }) }),
  },
  {
    sharedWithLibvirt: true,
    needs: needsIpv6Forwarding,
    current: (c) => c.ipv6?.forwarding,
    set: setIpv6Forwarding,
    before: (r) => r.ipv6ForwardingBefore,
    remember: ({ ipv6ForwardingBefore: _, ...r }, value) => ({ ...r, ...(value !== undefined && { ipv6ForwardingBefore: value }) }),
  },
];

/**
 * The uplink's proxy_arp, for the proxy-ARP networks on it. A value the context lacks counts as
 * off, the kernel's default for a new interface.
 */
function proxyArpSwitch(uplink: string): ForwardingSwitch {
  return {
    sharedWithLibvirt: false,
    needs: (spec) => spec.proxyArp === true && spec.uplink === uplink,
    current: (c) => c.proxyArp?.[uplink] ?? '0',
    set: (value) => ({ op: 'sysctl.set', key: proxyArpKey(uplink), value }),
    before: (r) => r.proxyArpBefore,
    remember: ({ proxyArpBefore: _, ...r }, value) => ({ ...r, ...(value !== undefined && { proxyArpBefore: value }) }),
  };
}

const switchesFor = (spec: NetworkSpec): readonly ForwardingSwitch[] =>
  spec.proxyArp && spec.uplink !== undefined ? [...SWITCHES, proxyArpSwitch(spec.uplink)] : SWITCHES;

/** the steps that turn forwarding on for `spec`, where it is off: IPv4 first, then IPv6, then the uplink's proxy ARP */
export function forwardingOnSteps(spec: NetworkSpec, context: ForwardingContext): Step[] {
  return switchesFor(spec).filter((s) => s.needs(spec) && s.current(context) === '0').map((s) => s.set('1'));
}

const recordsNeeding = (sw: ForwardingSwitch, records: readonly NetworkRecord[], except: string): NetworkRecord[] =>
  records.filter((r) => r.spec.name !== except && sw.needs(r.spec));

/**
 * `record` as it must be stored once its network runs: for each switch, it takes the memory of the
 * value before when this network is the one turning the switch on and no other record holds that
 * memory yet.
 */
export function withForwardingMemory(record: NetworkRecord, context: Pick<PlanContext, 'records' | 'ipForward' | 'ipv6' | 'proxyArp'>): NetworkRecord {
  let out = record;
  for (const sw of switchesFor(record.spec)) {
    if (sw.before(out) !== undefined || !sw.needs(out.spec) || sw.current(context) !== '0') continue;
    const remembered = recordsNeeding(sw, context.records, out.spec.name).some((r) => sw.before(r) !== undefined);
    if (!remembered) out = sw.remember(out, '0');
  }
  return out;
}

export interface ForwardingOnDelete {
  /** other networks' records, rewritten to carry the memory of a value before */
  handovers: NetworkRecord[];
  /** restores the values before, where the last network needing a switch goes (IPv6 first, the reverse of turning on) */
  restore: Step[];
}

export function forwardingOnDelete(record: NetworkRecord, context: PlanContext): ForwardingOnDelete {
  const handovers = new Map<string, NetworkRecord>();
  const restore: Step[] = [];
  for (const sw of switchesFor(record.spec)) {
    if (!sw.needs(record.spec)) continue;
    const others = recordsNeeding(sw, context.records, record.spec.name);
    const before = sw.before(record);
    const heir = others[0];
    if (heir) {
      if (before !== undefined && others.every((r) => sw.before(r) === undefined)) {
        const current = handovers.get(heir.spec.name) ?? heir;
        handovers.set(heir.spec.name, sw.remember(current, before));
      }
      continue;
    }
    const now = sw.current(context);
    if (before === undefined || now === undefined || before === now || (sw.sharedWithLibvirt && libvirtForwards(context))) continue;
    restore.unshift(sw.set(before));
  }
  return { handovers: [...handovers.values()], restore };
}

function libvirtForwards(context: PlanContext): boolean {
  return context.snapshot.libvirt.networks.some((n) => n.active && (n.forwardMode === 'nat' || n.forwardMode === 'route'));
}
