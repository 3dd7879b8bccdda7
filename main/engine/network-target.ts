import { readFile } from 'node:fs/promises';
import { NetworkName } from '../core/names';
import type { FieldIssue } from '../core/network/field-issue';
import type { NetworkReservation } from '../core/attach/reservation';
import { libvirtNetworkSpec } from '../core/network/libvirt-spec';
import { NetworkSpec } from '../core/network/network-spec';
import { NFT_NETWORKS_PATH } from '../core/paths';
import { lookupNetwork } from '../core/plan/plan-context';
import type { UpdateTarget } from '../core/plan/network-update';
import type { Plan } from '../helper/protocol';
import { parseLibvirtNetworkXml } from '../core/render/libvirt-network-xml';
import { readCommand } from '../host/host-command';
import { virshArgs } from '../host/read-libvirt';
import type { HostNetworkState } from './host-network-state';

/** The outcome of preparing a change: the problems with the request (nothing to run), or the plan. */
export type Prepared<T> = { readonly ok: false; readonly issues: FieldIssue[] } | { readonly ok: true; readonly plan: Plan; readonly value: T };

export type TargetLookup = { readonly ok: false; readonly issues: FieldIssue[] } | { readonly ok: true; readonly target: UpdateTarget };

const refuse = (message: string): TargetLookup => ({ ok: false, issues: [{ field: 'network', message }] });

/**
 * The KVMNet network a forward or reservation command names, with its spec as it is defined now:
 * a direct network's record, or a libvirt network's persistent definition (`--inactive`, which
 * holds a change made while it runs; the live one changes only at its next start).
 */
export async function readUpdateTarget(state: HostNetworkState, name: string): Promise<TargetLookup> {
  if (!NetworkName.safeParse(name).success) return refuse(`network ${JSON.stringify(name)} is not a network name; kvmnet list shows the networks`);
  const lookup = lookupNetwork(name, state.plan);
  if ('foreign' in lookup) return refuse(`network ${name} is a libvirt network KVMNet did not create; KVMNet changes only its own networks (kvmnet list shows which)`);
  if ('missing' in lookup) {
    const known = state.listing.filter((n) => n.managed).map((n) => n.name);
    return refuse(`network ${name} is not a KVMNet network on this host; ${known.length ? `the KVMNet networks are ${known.join(', ')}` : 'there are none yet'}`);
  }
  const found = lookup.found;
  if (found.backend === 'direct') return { ok: true, target: { current: found.record.spec, record: found.record, active: found.active } };
  const xml = await readCommand('virsh', virshArgs(['net-dumpxml', '--inactive', name]), 5000);
  const spec = libvirtNetworkSpec(parseLibvirtNetworkXml(xml), found.network.autostart);
  if (!spec) return refuse(`network ${name}'s libvirt definition is not one KVMNet can change (was it edited by hand?); fix it with virsh net-edit ${name}`);
  const otherLibvirtForwards = (state.plan.forwardedLibvirt ?? []).some((n) => n !== name);
  return { ok: true, target: { current: spec, active: found.network.active, otherLibvirtForwards } };
}

/**
 * The reservations a running libvirt network serves now (its live XML). They can differ from its
 * definition: `virsh net-update --live` changes only the running network.
 */
export async function readLiveReservations(name: string): Promise<NetworkReservation[]> {
  const xml = await readCommand('virsh', virshArgs(['net-dumpxml', name]), 5000);
  return parseLibvirtNetworkXml(xml).reservations ?? [];
}

/** every network's spec in KVMNet's nftables set now (direct ones running, libvirt ones with forwards) */
export async function readNftSetSpecs(): Promise<NetworkSpec[]> {
  const text = await readFile(NFT_NETWORKS_PATH, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  try {
    const networks = (JSON.parse(text) as { networks?: unknown[] }).networks ?? [];
    return networks.flatMap((n) => {
      const parsed = NetworkSpec.safeParse(n);
      return parsed.success ? [parsed.data] : [];
    });
  } catch {
    return [];
  }
}
