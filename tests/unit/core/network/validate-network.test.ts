import { describe, expect, it } from 'vitest';
import type { NetworkContext } from '../../../../main/core/network/network-context';
import { validateNetwork } from '../../../../main/core/network/validate-network';
import { labSpec, laptopContext, laptopSnapshot, link } from './host-fixture';

/**
 * The laptop of host-fixture plus things no route points at: a WireGuard address, an inactive
 * KVMNet network "old", an inactive libvirt network "isolated1" and a link owned by a KVMNet
 * network that is not among `existing`.
 */
function context(overrides: Partial<NetworkContext> = {}): NetworkContext {
  const base = laptopContext();
  const snapshot = laptopSnapshot();
  snapshot.links.push(link('wg0', 'wireguard', [['10.66.0.2', 32]]));
  snapshot.links.push(link('kv-ghost', 'bridge', [], { alias: 'kvmnet:ghost', owner: 'ghost' }));
  return {
    ...base,
    snapshot,
    existing: [
      ...base.existing,
      { name: 'old', bridge: 'kv-old', ipv4: { subnet: '10.70.0.0/24' } },
      { name: 'isolated1', bridge: 'virbr5', ipv4: { subnet: '192.168.150.0/24' }, managedByKvmnet: false },
    ],
    ...overrides,
  };
}

const withoutLab = (): NetworkContext => {
  const c = context();
  return { ...c, existing: c.existing.filter((n) => n.name !== 'lab') };
};

type Row = [what: string, draft: unknown, field: string, fix: RegExp, ctx?: () => NetworkContext];

const subnet = (s: string, extra: object = {}) => ({ name: 'dev', ipv4: { subnet: s }, ...extra });
const net81 = (extra: object) => ({ name: 'dev', ipv4: { subnet: '10.81.0.0/24' }, ...extra });

const invalid: Row[] = [
  ['no name', {}, 'name', /name is missing; give the network a name such as lab/],
  ['a space in the name', { name: 'my lab' }, 'name', /only letters, digits/],
  ['a name longer than 32', { name: 'n'.repeat(33) }, 'name', /shorten it/],
  ['a name starting with "-"', { name: '-lab' }, 'name', /must start with a letter or digit/],
  ['a name KVMNet uses', { name: 'lab' }, 'name', /already used by the network "lab"; choose another name, e.g. "lab-2"/],
  ['a name libvirt uses', { name: 'default' }, 'name', /the libvirt network "default"; choose another name, e.g. "default-2"/],
  ['an unknown kind', { name: 'dev', kind: 'bridge' }, 'kind', /must be one of nat, routed, hostonly, isolated/],
  ['an unknown backend', { name: 'dev', backend: 'docker' }, 'backend', /"libvirt".*or "direct"/],
  ['libvirt asked for but absent', { name: 'dev', backend: 'libvirt' }, 'backend', /not available on this host \(libvirtd is not running\); choose backend "direct"/,
    () => {
      const c = context({ libvirtAvailable: false });
      c.snapshot.libvirt = { available: false, reason: 'libvirtd is not running', networks: [], domains: [] };
      return c;
    }],
  ['an unknown top-level field', { name: 'dev', subnet: '10.81.0.0/24' }, 'subnet', /subnet is not a network setting KVMNet knows; remove it/],
  ['an unknown nested field', { name: 'dev', ipv4: { subnet: '10.81.0.0/24', mask: 24 } }, 'ipv4.mask', /remove it/],
  ['a subnet without prefix', subnet('10.81.0.0'), 'ipv4.subnet', /write it as ADDRESS\/PREFIX like 10\.80\.0\.0\/24/],
  ['a subnet given as a number', subnet(1081 as unknown as string), 'ipv4.subnet', /must be an IPv4 subnet written as ADDRESS\/PREFIX/],
  ['a subnet with host bits', subnet('10.81.0.5/24'), 'ipv4.subnet', /write the subnet itself: 10\.81\.0\.0\/24/],
  ['a /31 subnet', subnet('10.81.0.0/31'), 'ipv4.subnet', /too small: a network needs at least a \/30.*use a \/24 such as 10\.80\.1\.0\/24/],
  ['a /32 subnet', subnet('10.81.0.1/32'), 'ipv4.subnet', /too small.*10\.80\.1\.0\/24/],
  ['a /8 subnet', subnet('10.0.0.0/8'), 'ipv4.subnet', /larger than a \/16.*use a \/24 such as 10\.80\.1\.0\/24/],
  ['a loopback subnet', subnet('127.1.0.0/24'), 'ipv4.subnet', /loopback address range.*private subnet such as 10\.80\.1\.0\/24/],
  ['a multicast subnet', subnet('224.1.0.0/24'), 'ipv4.subnet', /multicast address range/],
  ['a reserved subnet', subnet('250.1.0.0/24'), 'ipv4.subnet', /reserved \(240\.0\.0\.0\/4\)/],
  ['the wired LAN', subnet('192.168.1.0/24'), 'ipv4.subnet', /192\.168\.1\.0\/24 overlaps the host route 192\.168\.1\.0\/24 on eth0; pick another, e\.g\. 10\.80\.1\.0\/24/],
  ["inside Docker's route", subnet('172.17.5.0/24'), 'ipv4.subnet', /overlaps the host route 172\.17\.0\.0\/16 on docker0; pick another, e\.g\. 10\.80\.1\.0\/24/],
  ['around a host address with no route', subnet('10.66.0.0/24'), 'ipv4.subnet', /overlaps the address 10\.66\.0\.2\/32 on wg0; pick another/],
  ['an inactive KVMNet network', subnet('10.70.0.0/25'), 'ipv4.subnet', /overlaps the subnet 10\.70\.0\.0\/24 of the network "old"; pick another/],
  ['an inactive libvirt network', subnet('192.168.150.0/24'), 'ipv4.subnet', /the libvirt network "isolated1"; pick another, e\.g\. 10\.80\.1\.0\/24/],
  ['a gateway outside the subnet', net81({ ipv4: { subnet: '10.81.0.0/24', gateway: '10.9.0.1' } }), 'ipv4.gateway', /outside the subnet 10\.81\.0\.0\/24; use an address inside it such as 10\.81\.0\.1/],
  ['the network address as gateway', net81({ ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.0' } }), 'ipv4.gateway', /network address.*use 10\.81\.0\.1/],
  ['the broadcast address as gateway', net81({ ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.255' } }), 'ipv4.gateway', /broadcast address.*use 10\.81\.0\.1/],
  ['a gateway that is not an address', net81({ ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.300' } }), 'ipv4.gateway', /"10\.81\.0\.300" is not an IPv4 address/],
  ['a gateway without subnet', { name: 'dev', ipv4: { gateway: '10.81.0.1' } }, 'ipv4.subnet', /add the subnet that holds 10\.81\.0\.1, e\.g\. 10\.81\.0\.0\/24/],
  ['ipv4 null on a NAT network', { name: 'dev', ipv4: null }, 'ipv4', /Leave ipv4 out to get a free subnet, or set one such as \{"subnet": "10\.80\.1\.0\/24"\}/],
  ['a DHCP start outside the subnet', net81({ dhcp: { start: '10.82.0.10', end: '10.81.0.254' } }), 'dhcp.start', /outside the subnet 10\.81\.0\.0\/24; use 10\.81\.0\.128–10\.81\.0\.254 instead/],
  ['a DHCP end outside the subnet', net81({ dhcp: { start: '10.81.0.10', end: '10.81.1.20' } }), 'dhcp.end', /outside the subnet/],
  ['a reversed DHCP range', net81({ dhcp: { start: '10.81.0.200', end: '10.81.0.100' } }), 'dhcp', /reversed: start 10\.81\.0\.200 comes after end 10\.81\.0\.100; swap them/],
  ['a DHCP range starting at the gateway', net81({ dhcp: { start: '10.81.0.1', end: '10.81.0.100' } }), 'dhcp.start', /includes the gateway \(the host's own address\) 10\.81\.0\.1.*use 10\.81\.0\.128–10\.81\.0\.254 instead/],
  ['a DHCP range around the gateway', { name: 'dev', ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.50' }, dhcp: { start: '10.81.0.2', end: '10.81.0.254' } }, 'dhcp', /includes the gateway.*10\.81\.0\.50/],
  ['a DHCP range with the network address', net81({ dhcp: { start: '10.81.0.0', end: '10.81.0.100' } }), 'dhcp.start', /includes the network address 10\.81\.0\.0/],
  ['a DHCP range with the broadcast address', net81({ dhcp: { start: '10.81.0.100', end: '10.81.0.255' } }), 'dhcp.end', /includes the broadcast address 10\.81\.0\.255/],
  ['a DHCP range without subnet', { name: 'dev', dhcp: { start: '10.81.0.100', end: '10.81.0.200' } }, 'dhcp', /set ipv4\.subnet to the subnet that holds the range/],
  ['a DHCP start that is not an address', net81({ dhcp: { start: 'first', end: '10.81.0.200' } }), 'dhcp.start', /"first" is not an IPv4 address; write it like 10\.80\.0\.1/],
  ['a routed network without uplink', { name: 'dev', kind: 'routed' }, 'uplink', /required for a routed network.*e\.g\. "eth0"/],
  ['an uplink the host lacks', { name: 'dev', uplink: 'eth9' }, 'uplink', /"eth9" is not an interface on this host; choose one of eth0, wlan0/],
  ['loopback as uplink', { name: 'dev', uplink: 'lo' }, 'uplink', /loopback interface, which leads nowhere; choose one of eth0/],
  ['an uplink on a host-only network', { name: 'dev', kind: 'hostonly', uplink: 'eth0' }, 'uplink', /a hostonly network sends nothing out of the host\. Remove uplink/],
  ["the network's own bridge as uplink", { name: 'lab', uplink: 'kv-lab' }, 'uplink', /this network's own bridge; .*choose one of eth0/, withoutLab],
  ['a bridge name over 15 bytes', { name: 'dev', bridge: 'kv-averyveryverylong' }, 'bridge', /longer than 15 bytes \(the kernel limit\); shorten it/],
  ['a bridge name with "/"', { name: 'dev', bridge: 'br/0' }, 'bridge', /may use only letters, digits/],
  ['a bridge name a host link has', { name: 'dev', bridge: 'docker0' }, 'bridge', /"docker0" is already an interface on this host \(bridge, not created by KVMNet\); pick another name, e\.g\. "kv-dev"/],
  ["libvirt's bridge", { name: 'dev', bridge: 'virbr0' }, 'bridge', /already the bridge of the libvirt network "default"; pick another name/],
  ["another KVMNet network's running bridge", { name: 'dev', bridge: 'kv-ghost' }, 'bridge', /belongs to the KVMNet network "ghost"; pick another name, e\.g\. "kv-dev"/],
  ["an inactive network's bridge", { name: 'dev', bridge: 'kv-old' }, 'bridge', /already the bridge of the network "old"/],
  ['an MTU below 68', { name: 'dev', mtu: 60 }, 'mtu', /60 is below 68.*use 1500/],
  ['an MTU above 65535', { name: 'dev', mtu: 70000 }, 'mtu', /above 65535.*use 9000 for jumbo frames/],
  ['a fractional MTU', { name: 'dev', mtu: 1500.5 }, 'mtu', /whole number from 68 to 65535/],
  ['an MTU too small for IPv6', { name: 'dev', mtu: 1200, ipv6: {} }, 'mtu', /below 1280, the smallest MTU IPv6 allows; raise it to at least 1280 or leave ipv6 out/],
  ['an IPv6 /48', { name: 'dev', ipv6: { subnet: 'fd00:1::/48' } }, 'ipv6.subnet', /must be a \/64.*use a \/64 such as fd[0-9a-f:]+::\/64/],
  ['a link-local IPv6 subnet', { name: 'dev', ipv6: { subnet: 'fe80::/64' } }, 'ipv6.subnet', /link-local address range/],
  ["the LAN's IPv6 prefix", { name: 'dev', ipv6: { subnet: '2001:db8:1::/64' } }, 'ipv6.subnet', /overlaps the host route 2001:db8:1::\/64 on eth0; pick another, e\.g\. fd/],
  ['an IPv6 gateway outside', { name: 'dev', ipv6: { subnet: 'fd00:1::/64', gateway: 'fd00:2::1' } }, 'ipv6.gateway', /outside the subnet fd00:1::\/64; use an address inside it such as fd00:1::1/],
  ['a reversed DHCPv6 range', { name: 'dev', ipv6: { subnet: 'fd00:1::/64', dhcp: { start: 'fd00:1::200', end: 'fd00:1::100' } } }, 'ipv6.dhcp', /reversed.*swap them/],
  ['an IPv4 address as IPv6 gateway', { name: 'dev', ipv6: { subnet: 'fd00:1::/64', gateway: '10.0.0.1' } }, 'ipv6.gateway', /not an IPv6 address/],
  ['an isolated network with ipv4', { name: 'dev', kind: 'isolated', ipv4: { subnet: '10.81.0.0/24' } }, 'ipv4', /left out for an isolated network.*choose kind "hostonly"/],
  ['an isolated network with DHCP', { name: 'dev', kind: 'isolated', dhcp: { start: '10.81.0.2', end: '10.81.0.9' } }, 'dhcp', /nothing can serve DHCP\. Remove dhcp, or choose kind "hostonly"/],
  ['an isolated network with IPv6', { name: 'dev', kind: 'isolated', ipv6: {} }, 'ipv6', /Remove ipv6/],
  ['an isolated network with a domain', { name: 'dev', kind: 'isolated', domain: 'iso.internal' }, 'domain', /Remove domain, or choose kind "hostonly"/],
  ['an invalid domain', { name: 'dev', domain: 'bad_domain!' }, 'domain', /is not a DNS domain; .* e\.g\. lab\.internal/],
  ['autostart as text', { name: 'dev', autostart: 'yes' }, 'autostart', /must be true or false/],
];

describe('validateNetwork rejects', () => {
  it('enough distinct cases', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(30);
  });

  it.each(invalid)('%s', (_what, draft, field, fix, ctx) => {
    const issues = validateNetwork(draft, (ctx ?? context)());
    const issue = issues.find((i) => i.field === field);
    expect(issue, `no issue on ${field}; got ${JSON.stringify(issues)}`).toBeDefined();
    expect(issue?.message).toMatch(fix);
    expect(issue?.message.startsWith(field.split('.')[0] as string)).toBe(true);
  });
});

describe('validateNetwork accepts', () => {
  it.each<[string, unknown]>([
    ['a bare name', { name: 'dev' }],
    ['a complete spec', { ...labSpec, name: 'dev', bridge: 'kv-dev', ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.1' }, dhcp: { start: '10.81.0.2', end: '10.81.0.254' } }],
    ['a routed network with uplink', { name: 'dev', kind: 'routed', uplink: 'wlan0' }],
    ['a NAT network pinned to Wi-Fi', { name: 'dev', uplink: 'wlan0' }],
    ['an isolated network', { name: 'dev', kind: 'isolated', ipv4: null, dhcp: null }],
    ['no DHCP', { name: 'dev', dhcp: null, ipv4: { subnet: '10.81.0.0/30' } }],
    ['a commonly used subnet chosen on purpose', subnet('192.168.100.0/24')],
    ['IPv6 with DHCPv6', { name: 'dev', mtu: 1280, ipv6: { subnet: 'fd00:1::/64', dhcp: { start: 'fd00:1::100', end: 'fd00:1::1ff' } } }],
  ])('%s', (_what, draft) => {
    expect(validateNetwork(draft, context())).toEqual([]);
  });

  it('an existing network re-checked with itself left out of existing', () => {
    expect(validateNetwork(labSpec, withoutLab())).toEqual([]);
  });

  it('a running libvirt-backed network whose bridge carries no alias (libvirt made it)', () => {
    const c = withoutLab();
    const bridge = c.snapshot.links.find((l) => l.name === 'kv-lab');
    delete bridge?.alias;
    delete bridge?.owner;
    expect(validateNetwork(labSpec, c)).toEqual([]);
    // the same bridge under a foreign libvirt network is not ours
    c.snapshot.libvirt.networks = c.snapshot.libvirt.networks.map((n) => ({ ...n, managedByKvmnet: false }));
    expect(validateNetwork(labSpec, c).map((i) => i.field)).toEqual(['bridge', 'ipv4.subnet']);
  });
});

describe('validateNetwork reports', () => {
  it('every independent problem at once', () => {
    const issues = validateNetwork({ name: 'my lab', bridge: 'docker0', ipv4: { subnet: '192.168.1.0/24' }, mtu: 10 }, context());
    expect(issues.map((i) => i.field).sort()).toEqual(['bridge', 'ipv4.subnet', 'mtu', 'name']);
  });

  it('no follow-up problems for a field that is itself wrong', () => {
    const issues = validateNetwork({ name: 'dev', ipv4: { subnet: 'nonsense' }, dhcp: { start: '10.81.0.1', end: '10.81.0.9' } }, context());
    expect(issues.map((i) => i.field)).toEqual(['ipv4.subnet']);
  });

  it('address clashes even when the kind is wrong', () => {
    const issues = validateNetwork({ name: 'dev', kind: 'bogus', ipv4: { subnet: '192.168.1.0/24' } }, context());
    expect(issues.map((i) => i.field)).toEqual(['kind', 'ipv4.subnet']);
  });

  it('one issue per subnet even when several things overlap it', () => {
    const issues = validateNetwork(subnet('192.168.0.0/16'), context());
    expect(issues).toHaveLength(1);
  });

  it('a suggestion that is itself free', () => {
    const [issue] = validateNetwork(subnet('192.168.1.0/24'), context());
    const suggested = /e\.g\. (\S+\/24)$/.exec(issue?.message ?? '')?.[1];
    expect(suggested).toBeDefined();
    expect(validateNetwork(subnet(suggested as string), context())).toEqual([]);
  });

  it('a plain explanation for input that is not an object', () => {
    expect(validateNetwork('lab', context())).toEqual([{ field: '', message: 'a network must be an object with at least a name, e.g. {"name": "lab"}' }]);
  });
});
