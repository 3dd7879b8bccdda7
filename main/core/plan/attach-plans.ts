import type { NicModel } from '../attach/nic-model';
import type { NicSource } from '../attach/nic-source';
import type { MacAddress } from '../attach/mac';
import type { RecordedTap } from '../network/network-record';
import type { Plan } from '../../helper/protocol';
import { directTapSteps, libvirtTapSteps, withTaps } from './guest-taps';
import { networkName, type KvmnetNetwork } from './plan-context';

/**
 * Plans that put a guest on a network, the two ways KVMNet offers (see guest-taps.ts for taps).
 * A direct network's record lists its taps; it is written after the tap is in place when one is
 * added, and before the tap goes when one is removed, so the record never names a tap that a
 * rollback could leave half-made.
 */

export function planAttachTap(network: KvmnetNetwork, tap: RecordedTap): Plan {
  const name = networkName(network);
  const description = `make tap ${tap.name} for a guest on network ${name}`;
  if (network.backend === 'libvirt') return { description, steps: libvirtTapSteps(name, tap, false) };
  const record = withTaps(network.record, [...(network.record.taps ?? []), tap]);
  return { description, steps: [...directTapSteps(network.record.spec, tap, false), { op: 'record.write', record }] };
}

export function planDetachTap(network: KvmnetNetwork, tap: string): Plan {
  const description = `remove tap ${tap} from network ${networkName(network)}`;
  const remove = { op: 'link.delete', name: tap } as const;
  if (network.backend === 'libvirt') return { description, steps: [remove] };
  const recorded = network.record.taps ?? [];
  if (!recorded.some((t) => t.name === tap)) return { description, steps: [remove] };
  const record = withTaps(network.record, recorded.filter((t) => t.name !== tap));
  return { description, steps: [{ op: 'record.write', record }, remove] };
}

/** what a libvirt guest's NIC plugs into for this network: its libvirt network, or a direct network's bridge */
export const nicSourceOf = (network: KvmnetNetwork): NicSource =>
  network.backend === 'libvirt' ? { type: 'network', network: network.network.name } : { type: 'bridge', bridge: network.record.spec.bridge };

export function planAttachDomainNic(network: KvmnetNetwork, domain: string, mac: MacAddress, model: NicModel): Plan {
  const name = networkName(network);
  return {
    description: `add a NIC on network ${name} to domain ${domain}`,
    steps: [{ op: 'libvirt.attachInterface', domain, network: name, source: nicSourceOf(network), mac, model }],
  };
}

export function planDetachDomainNic(network: KvmnetNetwork, domain: string, mac: MacAddress): Plan {
  const name = networkName(network);
  return {
    description: `remove the NIC ${mac} on network ${name} from domain ${domain}`,
    steps: [{ op: 'libvirt.detachInterface', domain, network: name, source: nicSourceOf(network), mac }],
  };
}
