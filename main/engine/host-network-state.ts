import { readFileSync } from 'node:fs';
import type { HostSnapshot } from '../core/host-snapshot';
import type { NetworkContext } from '../core/network/network-context';
import type { IpForwardValue, Ipv6Facts, PlanContext } from '../core/plan/plan-context';
import type { ParsedLibvirtNetwork } from '../core/render/libvirt-network-xml';
import { NFT_NETWORKS_PATH } from '../core/paths';
import { observeHostWithDefinitions } from '../host/observe';
import { readIpv6Facts } from '../host/read-ipv6-facts';
import { readNeighbours, readProxyArp } from '../host/read-proxy-arp-facts';
import { readSmallFile } from '../host/read-small-file';
import { listNetworks, readNetworkRecords, type NetworkListing } from '../host/read-networks';

/** One read of everything planning and validating networks needs, in the shapes the pure core takes. */
export interface HostNetworkState {
  readonly plan: PlanContext;
  /** for validateNetwork/completeDraft: every network, KVMNet's and libvirt's */
  readonly network: NetworkContext;
  readonly listing: NetworkListing[];
  /** record files that could not be read; worth a warning, never a failure */
  readonly problems: string[];
}

/** Pure: the two contexts from what was read. */
export function toHostNetworkState(
  snapshot: HostSnapshot,
  read: { records: PlanContext['records']; problems: string[] },
  definitions: readonly ParsedLibvirtNetwork[],
  ipForward: IpForwardValue,
  ipv6?: Ipv6Facts,
  forwardedLibvirt: readonly string[] = [],
  proxyArpFacts: ProxyArpFacts = {},
): HostNetworkState {
  return {
    plan: { records: read.records, ipForward, ipv6, snapshot, forwardedLibvirt, ...(proxyArpFacts.proxyArp && { proxyArp: proxyArpFacts.proxyArp }) },
    network: {
      snapshot, existing: [...read.records.map((r) => r.spec), ...definitions], libvirtAvailable: snapshot.libvirt.available,
      ...(proxyArpFacts.neighbours && { neighbours: proxyArpFacts.neighbours }),
    },
    listing: listNetworks(snapshot, read.records, definitions),
    problems: read.problems,
  };
}

export async function readIpForward(): Promise<IpForwardValue> {
  // a small file, read synchronously (read-small-file.ts); unreadable, it is an error, not a default
  const value = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  if (value !== '0' && value !== '1') throw new Error(`net.ipv4.ip_forward reads "${value}", expected 0 or 1`);
  return value;
}

/** what planning and validating a proxy-ARP network reads beyond the rest (proxy-arp-slice.ts) */
export interface ProxyArpFacts {
  readonly proxyArp?: PlanContext['proxyArp'];
  readonly neighbours?: NetworkContext['neighbours'];
}

/** proxy_arp is read only where an uplink can be: not on taps, nor on KVMNet's own links (a host may have a thousand) */
export async function readProxyArpFacts(links: HostSnapshot['links']): Promise<ProxyArpFacts> {
  const uplinks = links.filter((l) => l.kind !== 'tap' && l.owner === undefined).map((l) => l.name);
  const [proxyArp, neighbours] = await Promise.all([readProxyArp(uplinks), readNeighbours()]);
  return { proxyArp, neighbours };
}

export async function readHostNetworkState(): Promise<HostNetworkState> {
  const [{ snapshot, definitions }, records, ipForward, forwarded] = await Promise.all([observeHostWithDefinitions(), readNetworkRecords(), readIpForward(), readForwardedLibvirt()]);
  const [ipv6, proxyArpFacts] = await Promise.all([readIpv6Facts(snapshot.links.map((l) => l.name)), readProxyArpFacts(snapshot.links)]);
  return toHostNetworkState(snapshot, records, definitions, ipForward, ipv6, forwarded, proxyArpFacts);
}

/** the libvirt networks in KVMNet's nftables network set (world-readable; absent means none) */
export async function readForwardedLibvirt(): Promise<string[]> {
  const text = readSmallFile(NFT_NETWORKS_PATH);
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as { networks?: { name?: unknown; backend?: unknown }[] };
    return (parsed.networks ?? []).flatMap((n) => (n.backend === 'libvirt' && typeof n.name === 'string' ? [n.name] : []));
  } catch {
    return [];
  }
}
