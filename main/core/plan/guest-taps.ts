import type { HostSnapshot } from '../host-snapshot';
import type { NetworkSpec } from '../network/network-spec';
import type { NetworkRecord, RecordedTap } from '../network/network-record';
import type { Step } from '../../helper/protocol';
import { networkName, type KvmnetNetwork } from './plan-context';
import { tapMacFor } from '../attach/tap-mac';

/**
 * Guest taps: persistent taps KVMNet makes for plain QEMU guests (`kvmnet attach --print qemu`),
 * owned by the user who asked, so QEMU opens them without root. Each carries its network's alias
 * and sits on the network's bridge. Where they persist:
 * - direct networks list them in their record, so `kvmnet start` and the boot unit bring them back
 *   with the network;
 * - libvirt networks have no KVMNet record and libvirt knows nothing of them: they live as long as
 *   the host runs, and `kvmnet start` puts the ones still there back on the bridge.
 * Stopping a network deletes its bridge, which takes the taps off it; the taps themselves stay, so
 * a guest keeps its tap open and is back on the network when it starts again.
 */

/** the taps of a network that exist now, by its alias */
export const existingGuestTaps = (snapshot: HostSnapshot, network: string): string[] =>
  snapshot.links.filter((l) => l.kind === 'tap' && l.owner === network).map((l) => l.name);

/** a tap made and plugged into a direct network's bridge, with the network's MTU */
export function directTapSteps(spec: NetworkSpec, tap: RecordedTap, exists: boolean): Step[] {
  return [
    ...(exists ? [] : [{ op: 'link.add', kind: 'tap', name: tap.name, network: spec.name, user: tap.user, mac: tapMacFor(tap.mac), ...(spec.mtu !== undefined && { mtu: spec.mtu }) } as const]),
    { op: 'link.setMaster', name: tap.name, master: spec.bridge },
    { op: 'link.setState', name: tap.name, up: true },
  ];
}

/** a tap made and plugged into the bridge libvirt runs for a KVMNet libvirt network */
export function libvirtTapSteps(network: string, tap: RecordedTap, exists: boolean): Step[] {
  return [
    ...(exists ? [] : [{ op: 'link.add', kind: 'tap', name: tap.name, network, user: tap.user, mac: tapMacFor(tap.mac) } as const]),
    { op: 'libvirt.attachTap', network, tap: tap.name },
    { op: 'link.setState', name: tap.name, up: true },
  ];
}

/** a record as it must be stored with one more tap, or one fewer; no taps left means no field */
export function withTaps(record: NetworkRecord, taps: readonly RecordedTap[]): NetworkRecord {
  const { taps: _old, ...rest } = record;
  return taps.length === 0 ? rest : { ...rest, taps: [...taps] };
}

/** after a direct network's bridge is up again: its recorded taps back on it (made anew where gone) */
export function directTapsBackSteps(record: NetworkRecord, snapshot: HostSnapshot): Step[] {
  const existing = new Set(existingGuestTaps(snapshot, record.spec.name));
  return (record.taps ?? []).flatMap((tap) => directTapSteps(record.spec, tap, existing.has(tap.name)));
}

/** after a libvirt network starts again: its taps still on the host back on its bridge */
export const libvirtTapsBackSteps = (network: string, snapshot: HostSnapshot): Step[] =>
  existingGuestTaps(snapshot, network).flatMap((name) => [{ op: 'libvirt.attachTap', network, tap: name } as const, { op: 'link.setState', name, up: true } as const]);

/** when a network is deleted, its taps go with it */
export const tapRemovalSteps = (network: KvmnetNetwork, snapshot: HostSnapshot): Step[] =>
  existingGuestTaps(snapshot, networkName(network)).map((name) => ({ op: 'link.delete', name }));
