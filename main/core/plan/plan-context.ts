import type { HostSnapshot, LibvirtNetwork } from '../host-snapshot';
import type { NetworkSpec } from '../network/network-spec';
import type { NetworkRecord } from '../network/network-record';

/** net.ipv4.ip_forward as the kernel holds it */
export type IpForwardValue = '0' | '1';

/** The host-wide IPv6 switches that planning a forwarding network needs. */
export interface Ipv6Facts {
  /** net.ipv6.conf.all.forwarding */
  readonly forwarding: IpForwardValue;
  /** net.ipv6.conf.<interface>.accept_ra of every interface: with forwarding on, 1 stops accepting router advertisements */
  readonly acceptRa: Readonly<Record<string, string>>;
}

/**
 * Everything the planner knows about the host, as plain data read at the edges (engine/), so that
 * every plan can be computed and tested without I/O.
 */
export interface PlanContext {
  /** KVMNet's direct networks, as recorded under /etc/kvmnet/networks/ */
  readonly records: readonly NetworkRecord[];
  /** net.ipv4.ip_forward now */
  readonly ipForward: IpForwardValue;
  /** IPv6 as the kernel has it now; absent when it has none (booted with ipv6.disable=1) */
  readonly ipv6?: Ipv6Facts | undefined;
  /** net.ipv4.conf.<interface>.proxy_arp now, per interface (read for the uplinks of proxy-ARP networks) */
  readonly proxyArp?: Readonly<Record<string, IpForwardValue>> | undefined;
  /** the host now: which bridges exist, which libvirt networks run */
  readonly snapshot: HostSnapshot;
  /** libvirt networks whose port forwards are in KVMNet's nftables table (they go with the network) */
  readonly forwardedLibvirt?: readonly string[];
}

/** A network KVMNet manages, with what its plans depend on. */
export type KvmnetNetwork =
  | { readonly backend: 'direct'; readonly record: NetworkRecord; readonly active: boolean }
  | { readonly backend: 'libvirt'; readonly network: LibvirtNetwork };

export type NetworkLookup =
  | { readonly found: KvmnetNetwork }
  /** a libvirt network KVMNet did not define: shown, never changed */
  | { readonly foreign: LibvirtNetwork }
  | { readonly missing: true };

/** A direct network runs when its bridge exists and carries the network's alias. */
export function isDirectActive(record: NetworkRecord, snapshot: HostSnapshot): boolean {
  return snapshot.links.some((l) => l.name === record.spec.bridge && l.owner === record.spec.name);
}

export function lookupNetwork(name: string, context: PlanContext): NetworkLookup {
  const record = context.records.find((r) => r.spec.name === name);
  if (record) return { found: { backend: 'direct', record, active: isDirectActive(record, context.snapshot) } };
  const network = context.snapshot.libvirt.networks.find((n) => n.name === name);
  if (!network) return { missing: true };
  return network.managedByKvmnet ? { found: { backend: 'libvirt', network } } : { foreign: network };
}

export const networkName = (network: KvmnetNetwork): string =>
  network.backend === 'direct' ? network.record.spec.name : network.network.name;

/** the direct networks that run: theirs are the rules in KVMNet's nftables table */
export const runningDirectSpecs = (context: PlanContext): NetworkSpec[] =>
  context.records.filter((r) => isDirectActive(r, context.snapshot)).map((r) => r.spec);
