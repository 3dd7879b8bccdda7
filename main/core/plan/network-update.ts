import type { NetworkReservation } from '../attach/reservation';
import type { NetworkForward } from '../attach/port-forward';
import type { NetworkRecord } from '../network/network-record';
import type { NetworkSpec } from '../network/network-spec';
import type { Plan, Step } from '../../helper/protocol';

/**
 * A change to a network's intent (its forwards and reservations) as a plan like any other: the
 * helper journals it and rolls it back exactly. The spec keeps empty lists out, so a network
 * whose last forward goes is written as it was before it had any.
 *
 * - direct: the firewall table (forwards), then the running dnsmasq's hosts file (reservations),
 *   then the record last, as in a create: the record says what exists once it does. A stopped
 *   network only gets its record: its start renders everything from it.
 * - libvirt: the definition first (libvirt keeps forwards in KVMNet's metadata and reservations as
 *   <dhcp><host>, which a later start uses); then, if it runs, the live reservations
 *   (net-update --live); then KVMNet's DNAT for its forwards, running or not.
 */

export interface UpdateTarget {
  readonly current: NetworkSpec;
  /** a direct network's record (the spec inside is `current`); undefined for libvirt networks */
  readonly record?: NetworkRecord;
  /** the network runs now */
  readonly active: boolean;
  /** another libvirt network has forwards: the boot unit that puts them back stays whatever this one does */
  readonly otherLibvirtForwards?: boolean;
}

/** the spec with these forwards and reservations, empty lists left out */
export function withIntent(spec: NetworkSpec, forwards: readonly NetworkForward[], reservations: readonly NetworkReservation[]): NetworkSpec {
  const { forwards: _f, reservations: _r, ...rest } = spec;
  return { ...rest, ...(forwards.length > 0 && { forwards: [...forwards] }), ...(reservations.length > 0 && { reservations: [...reservations] }) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

export function planNetworkUpdate(target: UpdateTarget, next: NetworkSpec, description: string): Plan {
  const { current, active } = target;
  const forwardsChanged = !same(current.forwards, next.forwards);
  const reservationsChanged = !same(current.reservations, next.reservations);
  const steps: Step[] = [];
  if (current.backend === 'direct') {
    if (!target.record) throw new Error(`network ${current.name} is direct but no record was given`);
    if (active && forwardsChanged) steps.push({ op: 'nft.network', network: next.name, spec: next });
    if (active && reservationsChanged && next.ipv4 && next.dhcp) steps.push({ op: 'dnsmasq.hosts', network: next.name, bridge: next.bridge, reservations: next.reservations ?? [] });
    steps.push({ op: 'record.write', record: { ...target.record, spec: next } });
    return { description, steps };
  }
  steps.push({ op: 'libvirt.define', spec: next });
  if (active) {
    const gone = (current.reservations ?? []).filter((r) => !(next.reservations ?? []).some((n) => same(n, r)));
    const added = (next.reservations ?? []).filter((r) => !(current.reservations ?? []).some((c) => same(c, r)));
    for (const host of gone) steps.push({ op: 'libvirt.dhcpHost', network: next.name, host, present: false });
    for (const host of added) steps.push({ op: 'libvirt.dhcpHost', network: next.name, host, present: true });
  }
  // DNAT whether or not the network runs: libvirt starts a network without asking KVMNet, and its
  // forwards must work from that moment (rules towards a bridge that is down match nothing)
  if (forwardsChanged) {
    const had = (current.forwards?.length ?? 0) > 0;
    const has = (next.forwards?.length ?? 0) > 0;
    const unit = !target.otherLibvirtForwards && had !== has;
    // the boot unit comes with the first libvirt forward and goes with the last, as for direct networks
    if (unit && had) steps.push({ op: 'boot.forwardsUnit', enabled: false });
    steps.push({ op: 'nft.network', network: next.name, spec: has ? next : null });
    if (unit && has) steps.push({ op: 'boot.forwardsUnit', enabled: true });
  }
  return { description, steps };
}
