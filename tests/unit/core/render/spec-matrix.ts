import type { NetworkSpec } from '../../../../main/core/network/network-spec';

/**
 * Every shape of network the libvirt renderer can write: each kind, with and without DHCP, domain,
 * MTU and IPv6 (with and without DHCPv6). Shared by the round-trip unit test and the
 * virt-xml-validate integration test.
 */

const base = {
  backend: 'libvirt',
  autostart: true,
  ipv4: { subnet: '10.80.7.0/24', gateway: '10.80.7.1' },
  dhcp: { start: '10.80.7.128', end: '10.80.7.254' },
} as const;

const kinds: { label: string; spec: Pick<NetworkSpec, 'kind'> & Partial<NetworkSpec> }[] = [
  { label: 'nat', spec: { kind: 'nat' } },
  { label: 'nat via uplink', spec: { kind: 'nat', uplink: 'eth0' } },
  { label: 'routed', spec: { kind: 'routed', uplink: 'eth0' } },
  { label: 'hostonly', spec: { kind: 'hostonly' } },
];

const variants: { label: string; spec: Partial<NetworkSpec> }[] = [
  { label: 'plain', spec: {} },
  { label: 'no dhcp', spec: { dhcp: null } },
  { label: 'domain', spec: { domain: 'lab.internal' } },
  { label: 'mtu', spec: { mtu: 9000 } },
  { label: 'ipv6 slaac', spec: { ipv6: { subnet: 'fd5a:c0de:80::/64', gateway: 'fd5a:c0de:80::1', dhcp: null } } },
  { label: 'ipv6 dhcp', spec: { ipv6: { subnet: 'fd5a:c0de:80::/64', gateway: 'fd5a:c0de:80::1', dhcp: { start: 'fd5a:c0de:80::100', end: 'fd5a:c0de:80::1ff' } } } },
  {
    label: 'everything',
    spec: { domain: 'lab.internal', mtu: 1400, ipv4: { subnet: '10.80.8.0/29', gateway: '10.80.8.6' }, dhcp: { start: '10.80.8.1', end: '10.80.8.5' }, ipv6: { subnet: 'fd5a:c0de:80:1::/64', gateway: 'fd5a:c0de:80:1::1', dhcp: { start: 'fd5a:c0de:80:1::100', end: 'fd5a:c0de:80:1::1ff' } } },
  },
];

export const specMatrix: { label: string; spec: NetworkSpec }[] = [
  ...kinds.flatMap((k, i) =>
    variants.map((v, j) => ({
      label: `${k.label}, ${v.label}`,
      spec: { ...base, name: `m${i}-${j}`, bridge: `kv-m${i}-${j}`, ...k.spec, ...v.spec } as NetworkSpec,
    })),
  ),
  { label: 'isolated, plain', spec: { name: 'iso', kind: 'isolated', backend: 'libvirt', bridge: 'kv-iso', ipv4: null, dhcp: null, autostart: true } },
  { label: 'isolated, mtu', spec: { name: 'iso-mtu', kind: 'isolated', backend: 'direct', bridge: 'kv-iso-mtu', ipv4: null, dhcp: null, autostart: false, mtu: 1450 } },
  {
    label: 'nat, forwards and reservations',
    spec: {
      name: 'fwd', kind: 'nat', backend: 'libvirt', bridge: 'kv-fwd', autostart: true,
      ipv4: { subnet: '10.80.9.0/24', gateway: '10.80.9.1' }, dhcp: { start: '10.80.9.128', end: '10.80.9.254' },
      forwards: [
        { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.80.9.10', port: { start: 80, end: 80 } } },
        { proto: 'udp', hostPort: { start: 5000, end: 5003 }, to: { ip: '10.80.9.11', port: { start: 6000, end: 6003 } }, hostIp: '192.0.2.7' },
      ],
      reservations: [{ mac: '52:54:00:00:09:10', ip: '10.80.9.10', name: 'web' }, { mac: '52:54:00:00:09:11', ip: '10.80.9.11' }],
    },
  },
];
