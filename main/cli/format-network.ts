import type { NetworkSpec } from '../core/network/network-spec';
import type { NetworkListing } from '../host/read-networks';
import { formatTable } from './format-table';

const range = (r: { start: string; end: string } | null): string => (r ? `${r.start}-${r.end}` : '');

/** "nat network lab on bridge kv-lab (direct): 10.80.0.0/24, gateway 10.80.0.1, DHCP 10.80.0.128-10.80.0.254" */
export function describeSpec(spec: NetworkSpec): string {
  const parts = [
    ...(spec.ipv4 ? [spec.ipv4.subnet, `gateway ${spec.ipv4.gateway}`] : ['no host address']),
    ...(spec.dhcp ? [`DHCP ${range(spec.dhcp)}`] : spec.ipv4 ? ['no DHCP'] : []),
    ...(spec.ipv6 ? [`IPv6 ${spec.ipv6.subnet}`] : []),
    ...(spec.uplink ? [`uplink ${spec.uplink}${spec.proxyArp ? ' with proxy ARP (guests reachable from its LAN)' : ''}`] : []),
    ...(spec.domain ? [`domain ${spec.domain}`] : []),
    ...(spec.mtu !== undefined ? [`MTU ${spec.mtu}`] : []),
    spec.autostart ? 'starts at boot' : 'not started at boot',
  ];
  return `${spec.kind} network ${spec.name} on bridge ${spec.bridge} (${spec.backend}): ${parts.join(', ')}`;
}

/** The human view of `kvmnet list`; --json prints the listing itself. */
export function formatNetworkList(networks: readonly NetworkListing[]): string {
  if (networks.length === 0) return 'No networks yet. Create one with: kvmnet create nat NAME\n';
  const rows = networks.map((n) => [
    n.name,
    n.kind ?? n.forwardMode ?? '?',
    n.backend,
    n.bridge ?? '',
    n.subnet ?? '',
    n.gateway ?? '',
    range(n.dhcp),
    n.active ? 'active' : 'inactive',
    n.autostart ? 'yes' : 'no',
    n.uplink ?? '',
    n.managed ? 'yes' : 'no (read-only)',
  ]);
  const header = ['NAME', 'KIND', 'BACKEND', 'BRIDGE', 'SUBNET', 'GATEWAY', 'DHCP', 'STATE', 'AUTOSTART', 'UPLINK', 'KVMNET'];
  return `${formatTable([header, ...rows]).join('\n')}\n`;
}
