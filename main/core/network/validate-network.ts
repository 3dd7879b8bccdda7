import type { z } from 'zod';
import type { Link } from '../host-snapshot';
import { deriveBridgeName, takenInterfaceNames } from './bridge-name';
import {
  addressAt, blockOf, cidrText, compareAddresses, contains, lastAddress, overlaps, parseAddress, parseExactCidr,
  sameAddress, type Cidr, type IpAddr, type IpFamily,
} from './cidr';
import { defaultDhcpRange, inRange, usableHosts, type AddressRange } from './dhcp-range';
import type { FieldIssue } from './field-issue';
import { findFreeIpv4Subnet, findFreeIpv6Subnet } from './free-subnet';
import { describeNetwork, linkOwner, type NetworkContext } from './network-context';
import { NetworkDraft, type NetworkKind } from './network-spec';
import { occupiedRanges, type OccupiedRange } from './occupied-ranges';
import { checkProxyArp, type ProxyArpCheck } from './validate-proxy-arp';

/**
 * Every problem with a network draft (or a complete spec) against this host, each naming its field
 * and the fix; an empty list means completeDraft succeeds (unless no free subnet is left). Fields
 * left out of a draft are not problems: they get defaults. Pure and fast (well under 20 ms on a
 * crowded host), so the renderer can run it on every keystroke.
 *
 * The subnet and bridge checks skip what belongs to the network itself (links whose owner is its
 * name), so an existing network re-validates cleanly; leave it out of `context.existing` then.
 */
export function validateNetwork(input: unknown, context: NetworkContext): FieldIssue[] {
  const first = NetworkDraft.safeParse(input, { reportInput: true });
  if (first.success) return checkRelations(first.data, context, () => false);

  const issues = first.error.issues.flatMap(toFieldIssues);
  if (!isPlainObject(input) || issues.some((i) => i.field === '')) return issues;
  // Check the rest as well, so a typo in the name does not hide a subnet clash; relations that
  // involve a faulty field are skipped, as they would only repeat its problem.
  const faulty = issues.map((i) => i.field);
  const faultyTop = new Set(faulty.map((f) => f.split('.')[0]));
  const rest = Object.fromEntries(Object.entries(input).filter(([key]) => !faultyTop.has(key)));
  const second = LenientDraft.safeParse(rest);
  if (!second.success) return issues;
  const isFaulty = (field: string) => faulty.some((f) => f === field || f.startsWith(`${field}.`) || field.startsWith(`${f}.`));
  return [...issues, ...checkRelations(second.data, context, isFaulty)];
}

const LenientDraft = NetworkDraft.partial({ name: true });
type Draft = z.infer<typeof LenientDraft>;

const MISSING_HINT: Record<string, string> = {
  name: 'give the network a name such as lab',
};

function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const f = field ? `${field}.${key}` : key;
      return { field: f, message: `${f} is not a network setting KVMNet knows; remove it (check its spelling)` };
    });
  }
  if (field === '') {
    return [{ field, message: 'a network must be an object with at least a name, e.g. {"name": "lab"}' }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ field, message: `${field} is missing; ${MISSING_HINT[field] ?? 'add it'}` }];
  }
  return [{ field, message: `${field}: ${issue.message}` }];
}

function checkRelations(draft: Draft, context: NetworkContext, isFaulty: (field: string) => boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const self = draft.name ?? '';
  const kind: NetworkKind | undefined = isFaulty('kind') ? undefined : (draft.kind ?? 'nat');
  const everything = occupiedRanges(context, self);
  const proxy = draft.proxyArp === true && !isFaulty('proxyArp') && !isFaulty('uplink') ? checkProxyArp(draft, kind, context, everything, add) : undefined;
  const occupied = proxy?.occupied ?? everything;
  const suggest = suggestions(context, self, occupied, proxy);

  if (draft.name !== undefined) checkName(draft.name, context, add);
  if (draft.backend === 'libvirt' && !context.libvirtAvailable) {
    const reason = context.snapshot.libvirt.reason;
    add('backend', `backend "libvirt" is not available on this host${reason ? ` (${reason})` : ''}; choose backend "direct", or start libvirtd and try again`);
  }
  if (draft.bridge !== undefined) checkBridge(draft.bridge, self, context, suggest, add);
  if (!isFaulty('uplink') && kind) checkUplink(draft, kind, self, context, add);

  if (kind === 'isolated') {
    const why = 'the host takes no address on an isolated network, so';
    if (draft.ipv4) add('ipv4', `ipv4 must be left out for an isolated network: ${why} there is no gateway and guests choose their own addresses. Remove ipv4, or choose kind "hostonly" to give the host an address and DHCP`);
    if (draft.dhcp) add('dhcp', `dhcp must be left out for an isolated network: ${why} nothing can serve DHCP. Remove dhcp, or choose kind "hostonly"`);
    if (draft.ipv6) add('ipv6', `ipv6 must be left out for an isolated network: ${why} nothing can send router advertisements. Remove ipv6, or choose kind "hostonly"`);
    if (draft.domain) add('domain', `domain must be left out for an isolated network: ${why} nothing can serve DNS for it. Remove domain, or choose kind "hostonly"`);
  } else {
    // with a faulty kind, still check the addresses: a clash is worth knowing about either way
    if (draft.ipv4 === null) {
      if (kind) add('ipv4', `ipv4 cannot be null for a ${kind} network: guests need a subnet, with the host as their gateway. Leave ipv4 out to get a free subnet${suggest.ipv4() ? `, or set one such as {"subnet": "${suggest.ipv4()}"}` : ''}`);
    } else if (!isFaulty('ipv4')) {
      checkIpv4(draft, occupied, suggest, isFaulty, add, proxy);
    }
    if (draft.ipv6 && !isFaulty('ipv6')) checkIpv6(draft.ipv6, occupied, suggest, add);
  }

  if (draft.mtu !== undefined && draft.mtu < 1280 && draft.ipv6 && kind !== 'isolated') {
    add('mtu', `mtu ${draft.mtu} is below 1280, the smallest MTU IPv6 allows; raise it to at least 1280 or leave ipv6 out`);
  }
  return issues;
}

type Add = (field: string, message: string) => void;

interface Suggestions {
  ipv4(): string | undefined;
  ipv6(): string | undefined;
  bridge(): string;
}

function suggestions(context: NetworkContext, self: string, occupied: readonly OccupiedRange[], proxy: ProxyArpCheck | undefined): Suggestions {
  const taken = occupied.map((o) => o.cidr);
  let v4: string | undefined | null = null;
  let v6: string | undefined | null = null;
  const freeIpv4 = () => (proxy ? proxy.suggestion() : findFreeIpv4Subnet(taken));
  return {
    ipv4: () => (v4 === null ? (v4 = freeIpv4()) : v4),
    ipv6: () => (v6 === null ? (v6 = findFreeIpv6Subnet(taken, `${context.snapshot.hostname}/${self}`)) : v6),
    bridge: () => deriveBridgeName(self || 'net', takenInterfaceNames(context, self)),
  };
}

function checkName(name: string, context: NetworkContext, add: Add): void {
  const clash = context.existing.find((n) => n.name === name);
  if (!clash) return;
  const names = new Set(context.existing.map((n) => n.name));
  let free = name;
  for (let n = 2; names.has(free); n++) free = `${name.slice(0, 32 - `-${n}`.length)}-${n}`;
  add('name', `name "${name}" is already used by ${describeNetwork(clash)}; choose another name, e.g. "${free}"`);
}

function checkBridge(bridge: string, self: string, context: NetworkContext, suggest: Suggestions, add: Add): void {
  const fix = () => `pick another name, e.g. "${suggest.bridge()}", or leave bridge out to get one`;
  const other = context.existing.find((n) => n.name !== self && n.bridge === bridge);
  if (other) {
    add('bridge', `bridge "${bridge}" is already the bridge of ${describeNetwork(other)}; ${fix()}`);
    return;
  }
  const link = context.snapshot.links.find((l) => l.name === bridge);
  if (!link) return;
  const owner = linkOwner(link, context.snapshot);
  if (owner === self) return;
  add(
    'bridge',
    owner
      ? `bridge "${bridge}" belongs to the KVMNet network "${owner}"; ${fix()}`
      : `bridge "${bridge}" is already an interface on this host (${link.kind}, not created by KVMNet); ${fix()}`,
  );
}

function checkUplink(draft: Draft, kind: NetworkKind, self: string, context: NetworkContext, add: Add): void {
  const { snapshot } = context;
  const candidates = uplinkCandidates(snapshot.links, (l) => linkOwner(l, snapshot));
  const examples = candidates.length ? `choose one of ${candidates.slice(0, 6).join(', ')}` : 'connect a network interface first';
  const uplink = draft.uplink;
  if (uplink === undefined) {
    if (draft.proxyArp && kind === 'routed') {
      add('uplink', "uplink is required for proxy ARP: name the host interface on the LAN whose subnet the guests share, e.g. \"wlan0\"");
    } else if (kind === 'routed') {
      const viaDefault = snapshot.routes.find((r) => r.dst === 'default' && r.family === 'inet' && r.dev)?.dev ?? candidates[0];
      add('uplink', `uplink is required for a routed network: name the host interface whose LAN will route the subnet back to this host${viaDefault ? `, e.g. "${viaDefault}"` : ''}`);
    }
    return;
  }
  if (kind === 'hostonly' || kind === 'isolated') {
    add('uplink', `uplink is only for nat and routed networks: ${kind === 'isolated' ? 'an isolated' : 'a hostonly'} network sends nothing out of the host. Remove uplink, or choose kind "nat"`);
    return;
  }
  const link = snapshot.links.find((l) => l.name === uplink);
  if (!link) {
    add('uplink', `uplink "${uplink}" is not an interface on this host; ${examples}`);
  } else if (link.kind === 'loopback') {
    add('uplink', `uplink "${uplink}" is the loopback interface, which leads nowhere; ${examples}`);
  } else if (uplink === draft.bridge || linkOwner(link, snapshot) === self) {
    add('uplink', `uplink "${uplink}" is this network's own bridge; the uplink is the host interface towards the LAN: ${examples}`);
  }
}

/** links that can carry traffic out of the host: not loopback, not a KVMNet bridge or tap */
function uplinkCandidates(links: readonly Link[], owner: (l: Link) => string | undefined): string[] {
  return links.filter((l) => l.kind !== 'loopback' && !owner(l) && !l.master).map((l) => l.name);
}

function checkIpv4(draft: Draft, occupied: readonly OccupiedRange[], suggest: Suggestions, isFaulty: (f: string) => boolean, add: Add, proxy: ProxyArpCheck | undefined): void {
  const subnetText = draft.ipv4?.subnet;
  const gatewayText = draft.ipv4?.gateway;
  let subnet: Cidr | undefined;
  if (subnetText !== undefined) {
    subnet = checkSubnet('ipv4', 'ipv4.subnet', subnetText, occupied, suggest.ipv4(), add);
    if (subnet && proxy) proxy.checkSlice(subnet);
  } else if (proxy) {
    proxy.checkDefault();
  } else if (gatewayText !== undefined) {
    const around = cidrText(blockOf(parseAddress(gatewayText, 'ipv4') as IpAddr, 24));
    add('ipv4.subnet', `ipv4.subnet is missing while ipv4.gateway is set; add the subnet that holds ${gatewayText}, e.g. ${around}`);
  }
  const gateway = subnet && checkGateway('ipv4.gateway', gatewayText, subnet, add);

  if (!draft.dhcp || isFaulty('dhcp')) return;
  if (subnetText === undefined) {
    add('dhcp', 'dhcp is set but ipv4.subnet is not; set ipv4.subnet to the subnet that holds the range, or leave dhcp out to get a range inside the subnet KVMNet picks');
  } else if (subnet) {
    checkRange('dhcp', draft.dhcp, subnet, gateway, add);
  }
}

function checkIpv6(ipv6: NonNullable<Draft['ipv6']>, occupied: readonly OccupiedRange[], suggest: Suggestions, add: Add): void {
  if (ipv6.subnet === undefined) {
    if (ipv6.gateway !== undefined) add('ipv6.subnet', `ipv6.subnet is missing while ipv6.gateway is set; add the /64 that holds ${ipv6.gateway}`);
    if (ipv6.dhcp) add('ipv6.dhcp', 'ipv6.dhcp is set but ipv6.subnet is not; set ipv6.subnet to the /64 that holds the range');
    return;
  }
  const subnet = checkSubnet('ipv6', 'ipv6.subnet', ipv6.subnet, occupied, suggest.ipv6(), add);
  const gateway = subnet && checkGateway('ipv6.gateway', ipv6.gateway, subnet, add);
  if (subnet && ipv6.dhcp) checkRange('ipv6.dhcp', ipv6.dhcp, subnet, gateway, add);
}

const IPV4_MIN_PREFIX = 16;
const IPV4_MAX_PREFIX = 30;
const RESERVED_IPV4 = parseExactCidr('240.0.0.0/4') as Cidr;
const UNUSABLE_RANGES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  ipv4Mapped: 'IPv4-mapped',
};

/** the block when later checks (gateway, DHCP) can use it; undefined when its shape is wrong */
function checkSubnet(family: IpFamily, field: string, text: string, occupied: readonly OccupiedRange[], suggestion: string | undefined, add: Add): Cidr | undefined {
  const subnet = parseExactCidr(text, family) as Cidr;
  const example = suggestion ? ` such as ${suggestion}` : '';
  if (family === 'ipv4' && subnet.prefix > IPV4_MAX_PREFIX) {
    add(field, `${field} ${text} is too small: a network needs at least a /30 (network address, gateway, one guest, broadcast); use a /24${example}`);
    return undefined;
  }
  if (family === 'ipv4' && subnet.prefix < IPV4_MIN_PREFIX) {
    add(field, `${field} ${text} is larger than a /16, which no virtual network needs and which would swallow routes of its own; use a /24${example}`);
    return undefined;
  }
  if (family === 'ipv6' && subnet.prefix !== 64) {
    add(field, `${field} ${text} must be a /64: router advertisements (SLAAC) and DHCPv6 work only on /64 subnets; use a /64${example}`);
    return undefined;
  }
  const rangeName = contains(RESERVED_IPV4, subnet.network) ? 'reserved (240.0.0.0/4)' : UNUSABLE_RANGES[subnet.network.range()];
  if (rangeName) {
    add(field, `${field} ${text} is in the ${rangeName} address range, which cannot hold a network; use a private subnet${example}`);
    return undefined;
  }
  const clash = occupied.find((o) => overlaps(o.cidr, subnet));
  if (clash) {
    add(field, `${field} ${text} overlaps ${clash.what}; pick another${suggestion ? `, e.g. ${suggestion}` : ' subnet that no route, address or network on this host uses'}`);
  }
  return subnet;
}

/** the gateway later checks should assume: the given one when it is valid, else the default first host */
function checkGateway(field: string, text: string | undefined, subnet: Cidr, add: Add): IpAddr | undefined {
  const first = addressAt(subnet, 1n);
  if (text === undefined) return first;
  const gateway = parseAddress(text, subnet.family) as IpAddr;
  const fix = `use an address inside it such as ${first.toString()}`;
  if (!contains(subnet, gateway)) {
    add(field, `${field} ${text} is outside the subnet ${cidrText(subnet)}; ${fix}`);
  } else if (sameAddress(gateway, subnet.network)) {
    add(field, `${field} ${text} is the network address of ${cidrText(subnet)}, which no host may take; use ${first.toString()}`);
  } else if (subnet.family === 'ipv4' && sameAddress(gateway, lastAddress(subnet))) {
    add(field, `${field} ${text} is the broadcast address of ${cidrText(subnet)}, which no host may take; use ${first.toString()}`);
  } else {
    return gateway;
  }
  return undefined;
}

/** `gateway` is undefined when it is itself invalid: its own issue says so, and the range is checked without it */
function checkRange(field: string, range: { start: string; end: string }, subnet: Cidr, gateway: IpAddr | undefined, add: Add): void {
  const start = parseAddress(range.start, subnet.family) as IpAddr;
  const end = parseAddress(range.end, subnet.family) as IpAddr;
  const proposal = defaultDhcpRange(subnet, gateway ?? addressAt(subnet, 1n));
  const instead = proposal ? `use ${rangeText(proposal)} instead` : `shrink it to ${rangeText(usableHosts(subnet))} without the gateway`;
  let inside = true;
  for (const [side, address] of [['start', start], ['end', end]] as const) {
    if (!contains(subnet, address)) {
      inside = false;
      add(`${field}.${side}`, `${field}.${side} ${address.toString()} is outside the subnet ${cidrText(subnet)}; ${instead}`);
    }
  }
  if (!inside) return;
  if (compareAddresses(start, end) > 0) {
    add(field, `${field} range is reversed: start ${range.start} comes after end ${range.end}; swap them`);
    return;
  }
  const reserved: [IpAddr, string][] = [[subnet.network, 'the network address']];
  if (gateway) reserved.push([gateway, "the gateway (the host's own address)"]);
  if (subnet.family === 'ipv4') reserved.push([lastAddress(subnet), 'the broadcast address']);
  for (const [address, what] of reserved) {
    if (!inRange({ start, end }, address)) continue;
    const at = sameAddress(address, start) ? `${field}.start` : sameAddress(address, end) ? `${field}.end` : field;
    add(at, `${field} range ${range.start}–${range.end} includes ${what} ${address.toString()}, which DHCP must not hand to a guest; ${instead}`);
  }
}

const rangeText = (r: AddressRange) => `${r.start.toString()}–${r.end.toString()}`;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
