import { describe, expect, it } from 'vitest';
import { cidrText } from '../../../../main/core/network/cidr';
import { completeDraft } from '../../../../main/core/network/defaults';
import { NetworkInputError } from '../../../../main/core/network/field-issue';
import type { NetworkContext } from '../../../../main/core/network/network-context';
import { NetworkSpec } from '../../../../main/core/network/network-spec';
import { occupiedRanges } from '../../../../main/core/network/occupied-ranges';
import { defaultProxyArpSlice, proxyArpWarnings, uplinkLan } from '../../../../main/core/network/proxy-arp-slice';
import { validateNetwork } from '../../../../main/core/network/validate-network';
import { laptopContext, link } from './host-fixture';

/** the laptop of host-fixture: Wi-Fi wlan0 at 10.0.5.7/24, its router 10.0.5.1 */
const wifi = { name: 'wifi', kind: 'routed', uplink: 'wlan0', proxyArp: true } as const;

function withNeighbours(...neighbours: { dev: string; address: string }[]): NetworkContext {
  return { ...laptopContext(), neighbours };
}

const sliceOf = (context: NetworkContext, uplink = 'wlan0') => {
  const lan = uplinkLan(uplink, context);
  if (!lan) return undefined;
  const slice = defaultProxyArpSlice(lan, occupiedRanges(context, 'wifi'));
  return slice && cidrText(slice);
};

describe('the default proxy-ARP slice', () => {
  it("is the top /28 of the uplink's LAN when nothing known sits in it", () => {
    const lan = uplinkLan('wlan0', laptopContext())!;
    expect([cidrText(lan.lan), lan.host.toString(), lan.gateway?.toString()]).toEqual(['10.0.5.0/24', '10.0.5.7', '10.0.5.1']);
    expect(sliceOf(laptopContext())).toBe('10.0.5.240/28');
  });

  it('steps down past /28s that hold a neighbour on the uplink, and ignores neighbours on other links', () => {
    expect(sliceOf(withNeighbours({ dev: 'wlan0', address: '10.0.5.250' }))).toBe('10.0.5.224/28');
    expect(sliceOf(withNeighbours({ dev: 'wlan0', address: '10.0.5.250' }, { dev: 'wlan0', address: '10.0.5.230' }))).toBe('10.0.5.208/28');
    expect(sliceOf(withNeighbours({ dev: 'eth0', address: '10.0.5.250' }))).toBe('10.0.5.240/28');
  });

  it('steps past a /28 holding the gateway of a route through the uplink', () => {
    const context = laptopContext();
    context.snapshot = { ...context.snapshot, routes: [...context.snapshot.routes, { family: 'inet', dst: '172.31.0.0/16', gateway: '10.0.5.254', dev: 'wlan0' }] };
    expect(sliceOf(context)).toBe('10.0.5.224/28');
  });

  it('is none on a LAN no larger than a /28, and none on an uplink without IPv4', () => {
    const context = laptopContext();
    context.snapshot = { ...context.snapshot, links: [...context.snapshot.links, link('usb0', 'physical', [['10.9.9.2', 28]]), link('eth1', 'physical')] };
    expect(sliceOf(context, 'usb0')).toBeUndefined();
    expect(uplinkLan('eth1', context)).toBeUndefined();
  });

  it("steps past another network's slice, so a second proxy-ARP network on the same Wi-Fi gets the next /28 down", () => {
    const first = completeDraft(wifi, laptopContext());
    const context = laptopContext();
    const second = completeDraft({ ...wifi, name: 'wifi2' }, { ...context, existing: [...context.existing, first] });
    expect([first.ipv4?.subnet, second.ipv4?.subnet]).toEqual(['10.0.5.240/28', '10.0.5.224/28']);
  });

  it('is deterministic', () => {
    const context = withNeighbours({ dev: 'wlan0', address: '10.0.5.241' });
    expect(sliceOf(context)).toBe(sliceOf(context));
  });
});

describe('completeDraft with proxyArp', () => {
  it('takes the slice, the first host address as gateway, DHCP in its upper half, and the direct backend even where libvirt runs', () => {
    const spec = completeDraft(wifi, laptopContext());
    expect(spec).toMatchObject({
      kind: 'routed', backend: 'direct', uplink: 'wlan0', proxyArp: true,
      ipv4: { subnet: '10.0.5.240/28', gateway: '10.0.5.241' }, dhcp: { start: '10.0.5.248', end: '10.0.5.254' },
    });
    expect(NetworkSpec.safeParse(spec).success).toBe(true);
  });

  it('keeps a slice the user gives', () => {
    expect(completeDraft({ ...wifi, ipv4: { subnet: '10.0.5.192/27' } }, laptopContext())).toMatchObject({
      ipv4: { subnet: '10.0.5.192/27', gateway: '10.0.5.193' }, dhcp: { start: '10.0.5.208', end: '10.0.5.222' },
    });
  });

  it('throws NetworkInputError naming ipv4.subnet when no /28 of the LAN is free', () => {
    const context = laptopContext();
    const neighbours = Array.from({ length: 16 }, (_, i) => ({ dev: 'wlan0', address: `10.0.5.${i * 16 + 2}` }));
    expect(() => completeDraft(wifi, { ...context, neighbours })).toThrow(NetworkInputError);
    expect(validateNetwork(wifi, { ...context, neighbours })).toEqual([expect.objectContaining({ field: 'ipv4.subnet', message: expect.stringContaining('no free /28 is left in 10.0.5.0/24') })]);
  });
});

describe('validateNetwork: proxy-ARP bad input', () => {
  const context = () => {
    const c = laptopContext({ neighbours: [{ dev: 'wlan0', address: '10.0.5.100' }] });
    c.snapshot = { ...c.snapshot, links: [...c.snapshot.links, link('eth1', 'physical')] };
    return c;
  };
  const cases: { what: string; draft: Record<string, unknown>; field: string; says: string }[] = [
    { what: 'a nat network', draft: { ...wifi, kind: 'nat' }, field: 'proxyArp', says: 'only for routed networks' },
    { what: 'no uplink', draft: { name: 'wifi', kind: 'routed', proxyArp: true }, field: 'uplink', says: 'uplink is required for proxy ARP' },
    { what: 'an uplink with no IPv4', draft: { ...wifi, uplink: 'eth1' }, field: 'uplink', says: 'uplink "eth1" has no IPv4 address' },
    { what: 'an uplink that does not exist', draft: { ...wifi, uplink: 'wlan9' }, field: 'uplink', says: 'not an interface on this host' },
    { what: 'the libvirt backend', draft: { ...wifi, backend: 'libvirt' }, field: 'backend', says: 'choose backend "direct"' },
    { what: 'a subnet outside the LAN', draft: { ...wifi, ipv4: { subnet: '10.0.6.0/28' } }, field: 'ipv4.subnet', says: 'is not inside 10.0.5.0/24, the LAN of wlan0' },
    { what: 'the whole LAN', draft: { ...wifi, ipv4: { subnet: '10.0.5.0/24' } }, field: 'ipv4.subnet', says: 'is the whole LAN of wlan0' },
    { what: "a slice holding the host's address", draft: { ...wifi, ipv4: { subnet: '10.0.5.0/29' } }, field: 'ipv4.subnet', says: "holds 10.0.5.7, this host's own address on wlan0" },
    { what: "a slice holding the LAN's gateway", draft: { ...wifi, ipv4: { subnet: '10.0.5.0/30' } }, field: 'ipv4.subnet', says: "holds 10.0.5.1, the LAN's default gateway" },
    { what: 'a slice holding a neighbour', draft: { ...wifi, ipv4: { subnet: '10.0.5.96/28' } }, field: 'ipv4.subnet', says: 'holds 10.0.5.100, an address already in use' },
    { what: 'a proxyArp that is not a boolean', draft: { ...wifi, proxyArp: 'yes' }, field: 'proxyArp', says: 'must be true or false' },
  ];
  for (const { what, draft, field, says } of cases) {
    it(`refuses ${what}, naming ${field} and the fix`, () => {
      const issues = validateNetwork(draft, context());
      expect(issues).toContainEqual({ field, message: expect.stringContaining(says) });
    });
  }

  it('proposes the free default slice in its fixes', () => {
    const [issue] = validateNetwork({ ...wifi, ipv4: { subnet: '10.0.5.0/24' } }, context());
    expect(issue?.message).toContain('use a free slice such as 10.0.5.240/28');
  });

  it('accepts a free slice inside the LAN, which the plain routed kind refuses as overlapping the LAN', () => {
    const draft = { ...wifi, ipv4: { subnet: '10.0.5.192/28' } };
    expect(validateNetwork(draft, context())).toEqual([]);
    const { proxyArp: _, ...plain } = draft;
    expect(validateNetwork(plain, context())).toContainEqual({ field: 'ipv4.subnet', message: expect.stringContaining('overlaps') });
  });

  it('still refuses a slice that overlaps another network', () => {
    const c = context();
    const issues = validateNetwork({ ...wifi, ipv4: { subnet: '10.0.5.192/28' } }, { ...c, existing: [...c.existing, { name: 'other', ipv4: { subnet: '10.0.5.192/28' } }] });
    expect(issues).toContainEqual({ field: 'ipv4.subnet', message: expect.stringContaining('the network "other"') });
  });

  it('the spec schema itself refuses proxyArp outside routed networks and on libvirt', () => {
    const spec = completeDraft(wifi, laptopContext());
    expect(NetworkSpec.safeParse({ ...spec, kind: 'nat' }).error?.issues.map((i) => i.path.join('.'))).toContain('proxyArp');
    expect(NetworkSpec.safeParse({ ...spec, backend: 'libvirt' }).error?.issues.map((i) => i.path.join('.'))).toContain('backend');
  });
});

describe('proxyArpWarnings', () => {
  it("warns that the slice must be outside the router's DHCP pool, and only for proxy-ARP networks", () => {
    const spec = completeDraft(wifi, laptopContext());
    expect(proxyArpWarnings(spec)).toEqual([expect.stringContaining("10.0.5.240/28 must lie outside the DHCP pool of the LAN's router (10.0.5.240–10.0.5.255)")]);
    expect(proxyArpWarnings({ ...spec, proxyArp: false })).toEqual([]);
  });
});
