import type { HostSnapshot, Link } from '../host-snapshot';

/**
 * A network that already exists, as far as planning a new one needs to know it: a KVMNet
 * NetworkSpec fits, and so does a foreign libvirt network read back with parseLibvirtNetworkXml.
 */
export interface ExistingNetwork {
  readonly name: string;
  readonly bridge?: string | undefined;
  readonly ipv4?: { readonly subnet: string } | null | undefined;
  readonly ipv6?: { readonly subnet: string } | undefined;
  /** subnets beyond the first of each family (libvirt allows several `<ip>` elements) */
  readonly additionalSubnets?: readonly string[] | undefined;
  /** false for libvirt networks KVMNet did not define; a NetworkSpec, which has no such field, is KVMNet's */
  readonly managedByKvmnet?: boolean | undefined;
}

/**
 * Everything the pure planning functions know about the world. `existing` lists every other network,
 * KVMNet's and libvirt's; when an existing network is being edited, leave it out of `existing`.
 */
export interface NetworkContext {
  readonly snapshot: HostSnapshot;
  readonly existing: readonly ExistingNetwork[];
  readonly libvirtAvailable: boolean;
  /** IPv4 neighbours the kernel knows (`ip neigh`), so a proxy-ARP slice stays clear of LAN hosts; absent means none known */
  readonly neighbours?: readonly Neighbour[] | undefined;
}

export interface Neighbour {
  readonly dev: string;
  readonly address: string;
}

export const describeNetwork = (n: ExistingNetwork): string =>
  n.managedByKvmnet === false ? `the libvirt network "${n.name}"` : `the network "${n.name}"`;

/**
 * The KVMNet network a link belongs to: its alias says so, or, for bridges libvirt created, the
 * libvirt network that uses it carries KVMNet metadata.
 */
export function linkOwner(link: Link, snapshot: HostSnapshot): string | undefined {
  if (link.owner) return link.owner;
  return snapshot.libvirt.networks.find((n) => n.managedByKvmnet && n.bridge === link.name)?.name;
}
