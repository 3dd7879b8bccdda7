import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { KVMNET_METADATA_ELEMENT, KVMNET_METADATA_VERSION, KVMNET_XML_PREFIX, KVMNET_XMLNS } from '../libvirt-metadata';
import { blockOf, cidrText, netmaskOf, parseAddress, parseExactCidr, prefixFromNetmask, type IpAddr } from '../network/cidr';
import { NetworkKind, NetworkSpec, type DhcpRange } from '../network/network-spec';
import { NetworkForward, rangeText } from '../attach/port-forward';
import { NetworkReservation } from '../attach/reservation';

/**
 * KVMNet networks as libvirt network XML (libvirt's formatnetwork), and libvirt network XML read
 * back into KVMNet's terms. Elements come in the order `virsh net-dumpxml` prints them, so a
 * rendered definition and libvirt's copy of it diff cleanly.
 */

/** source ports for masqueraded traffic: libvirt's own default, kept clear of privileged ports */
const NAT_PORTS = { start: '1024', end: '65535' } as const;

const Uuid = z.guid({ error: 'uuid must look like 8-4-4-4-12 hex digits, e.g. 3e3fce45-4f53-4fa7-bb32-11f34168b82b' });

export interface RenderOptions {
  /** libvirt's id of an existing network being redefined; left out, libvirt makes one */
  readonly uuid?: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

type XmlNode = Record<string, unknown>;

export function renderLibvirtNetworkXml(input: NetworkSpec, options: RenderOptions = {}): string {
  const spec = NetworkSpec.parse(input);
  const network: XmlNode = { name: spec.name };
  if (options.uuid !== undefined) network.uuid = Uuid.parse(options.uuid);
  network.metadata = {
    [`${KVMNET_XML_PREFIX}:${KVMNET_METADATA_ELEMENT}`]: {
      [`@_xmlns:${KVMNET_XML_PREFIX}`]: KVMNET_XMLNS,
      '@_kind': spec.kind,
      '@_version': String(KVMNET_METADATA_VERSION),
      // libvirt has no element for port forwards; they live in KVMNet's metadata, which libvirt keeps verbatim
      ...(spec.forwards?.length && { [`${KVMNET_XML_PREFIX}:forward`]: spec.forwards.map(forwardNode) }),
    },
  };
  if (spec.kind === 'nat') {
    network.forward = {
      '@_mode': 'nat',
      ...(spec.uplink && { '@_dev': spec.uplink }),
      // without ipv6='yes' libvirt would route a NAT network's IPv6 instead of masquerading it,
      // which leaves a unique local prefix unreachable from outside
      nat: { ...(spec.ipv6 && { '@_ipv6': 'yes' }), port: { '@_start': NAT_PORTS.start, '@_end': NAT_PORTS.end } },
    };
  } else if (spec.kind === 'routed') {
    network.forward = { '@_mode': 'route', '@_dev': spec.uplink };
  }
  network.bridge = { '@_name': spec.bridge, '@_stp': 'on', '@_delay': '0' };
  if (spec.mtu !== undefined) network.mtu = { '@_size': String(spec.mtu) };
  if (spec.domain !== undefined) network.domain = { '@_name': spec.domain, '@_localOnly': 'yes' };

  const ips: XmlNode[] = [];
  if (spec.ipv4) {
    ips.push({ '@_address': spec.ipv4.gateway, '@_netmask': netmaskOf(prefixOf(spec.ipv4.subnet)), ...dhcpNode(spec.dhcp, spec.reservations) });
  }
  if (spec.ipv6) {
    const prefix = String(prefixOf(spec.ipv6.subnet));
    ips.push({ '@_family': 'ipv6', '@_address': spec.ipv6.gateway, '@_prefix': prefix, ...dhcpNode(spec.ipv6.dhcp) });
  }
  if (ips.length > 0) network.ip = ips;
  return builder.build({ network }) as string;
}

function prefixOf(subnet: string): number {
  const cidr = parseExactCidr(subnet);
  if (!cidr) throw new Error(`subnet ${subnet} passed the schema but did not parse`);
  return cidr.prefix;
}

const dhcpNode = (range: DhcpRange | null, hosts: readonly NetworkReservation[] = []): XmlNode =>
  range ? { dhcp: { range: { '@_start': range.start, '@_end': range.end }, ...(hosts.length && { host: hosts.map(hostNode) }) } } : {};

/** libvirt's <dhcp><host>, as `virsh net-update … ip-dhcp-host` also takes it */
export const hostNode = (r: NetworkReservation): XmlNode => ({ '@_mac': r.mac, '@_ip': r.ip, ...(r.name !== undefined && { '@_name': r.name }) });

export const renderDhcpHostXml = (r: NetworkReservation): string => (builder.build({ host: hostNode(NetworkReservation.parse(r)) }) as string).trim();

const forwardNode = (f: NetworkForward): XmlNode => ({
  '@_proto': f.proto,
  '@_hostPort': rangeText(f.hostPort),
  '@_to': `${f.to.ip}:${rangeText(f.to.port)}`,
  ...(f.hostIp !== undefined && { '@_hostIp': f.hostIp }),
});

/** a <kvmnet:forward> back into a forward; undefined for one that does not parse (written by hand) */
function readForward(node: XmlNode): NetworkForward | undefined {
  const ports = (text: string | undefined) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(text ?? '');
    return m ? { start: Number(m[1]), end: Number(m[2] ?? m[1]) } : undefined;
  };
  const to = /^([0-9.]+):(.+)$/.exec(attr(node, 'to') ?? '');
  const parsed = NetworkForward.safeParse({
    proto: attr(node, 'proto'),
    hostPort: ports(attr(node, 'hostPort')),
    to: { ip: to?.[1], port: ports(to?.[2]) },
    ...(attr(node, 'hostIp') !== undefined && { hostIp: attr(node, 'hostIp') }),
  });
  return parsed.success ? parsed.data : undefined;
}

/** What KVMNet understands of a libvirt network, whoever defined it. */
export interface ParsedLibvirtNetwork {
  name: string;
  uuid?: string;
  /** carries KVMNet's metadata element; other networks are shown read-only */
  managedByKvmnet: boolean;
  metadataVersion?: number;
  /** libvirt's forward mode as written; absent for networks without `<forward>` */
  forwardMode?: string;
  /** KVMNet's kind: from KVMNet's metadata, else inferred; absent for modes KVMNet does not model (bridge, open, hostdev …) */
  kind?: NetworkKind;
  bridge?: string;
  uplink?: string;
  ipv4: { subnet: string; gateway: string } | null;
  dhcp: DhcpRange | null;
  ipv6?: { subnet: string; gateway: string; dhcp: DhcpRange | null };
  domain?: string;
  mtu?: number;
  /** subnets of `<ip>` elements beyond the first of each family */
  additionalSubnets: string[];
  /** the first IPv4 `<ip>`'s `<dhcp><host>` elements that carry a MAC and an address; left out when none */
  reservations?: NetworkReservation[];
  /** port forwards kept in KVMNet's metadata; left out when none */
  forwards?: NetworkForward[];
}

const ARRAY_PATHS = new Set(['network.ip', 'network.ip.dhcp.range', 'network.ip.dhcp.host']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, jpath) => ARRAY_PATHS.has(String(jpath)),
});

/**
 * Reads `virsh net-dumpxml` output. Throws when the text is not a libvirt network; tolerates
 * anything libvirt accepts that KVMNet does not model by leaving it out.
 */
export function parseLibvirtNetworkXml(xml: string): ParsedLibvirtNetwork {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { line, msg } = wellFormed.err;
    throw new Error(`not a libvirt network definition: the XML is malformed (line ${line}: ${msg})`);
  }
  const root = asNode(asNode(parser.parse(xml)).network);
  const name = text(root.name);
  if (name === undefined) throw new Error('not a libvirt network definition: expected a <network> element with a <name>');

  const metadata = kvmnetMetadata(root.metadata);
  const forward = root.forward === undefined ? undefined : asNode(root.forward);
  // libvirt reads a bare <forward/> as NAT
  const forwardMode = forward ? (attr(forward, 'mode') ?? 'nat') : undefined;

  let ipv4: ParsedLibvirtNetwork['ipv4'] = null;
  let dhcp: DhcpRange | null = null;
  let reservations: NetworkReservation[] = [];
  let ipv6: ParsedLibvirtNetwork['ipv6'];
  const additionalSubnets: string[] = [];
  for (const ipNode of asArray(root.ip)) {
    const ip = readIp(asNode(ipNode));
    if (!ip) continue;
    if (ip.family === 'ipv4' && !ipv4) {
      ipv4 = { subnet: ip.subnet, gateway: ip.address };
      dhcp = ip.dhcp;
      reservations = ip.hosts;
    } else if (ip.family === 'ipv6' && !ipv6) {
      ipv6 = { subnet: ip.subnet, gateway: ip.address, dhcp: ip.dhcp };
    } else {
      additionalSubnets.push(ip.subnet);
    }
  }

  const kind = metadata?.kind ?? inferKind(forwardMode, ipv4 !== null || ipv6 !== undefined);
  const bridge = root.bridge === undefined ? undefined : attr(asNode(root.bridge), 'name');
  const uplink = forward ? attr(forward, 'dev') : undefined;
  const uuid = text(root.uuid);
  const mtu = root.mtu === undefined ? undefined : Number(attr(asNode(root.mtu), 'size'));
  const domain = root.domain === undefined ? undefined : attr(asNode(root.domain), 'name');
  return {
    name,
    ...(uuid !== undefined && { uuid }),
    managedByKvmnet: metadata !== undefined,
    ...(metadata?.version !== undefined && { metadataVersion: metadata.version }),
    ...(forwardMode !== undefined && { forwardMode }),
    ...(kind !== undefined && { kind }),
    ...(bridge !== undefined && { bridge }),
    ...(uplink !== undefined && { uplink }),
    ipv4,
    dhcp,
    ...(ipv6 && { ipv6 }),
    ...(domain !== undefined && { domain }),
    ...(mtu !== undefined && Number.isInteger(mtu) && { mtu }),
    additionalSubnets,
    ...(reservations.length > 0 && { reservations }),
    ...(metadata?.forwards.length && { forwards: metadata.forwards }),
  };
}

function inferKind(forwardMode: string | undefined, hasAddress: boolean): NetworkKind | undefined {
  if (forwardMode === 'nat') return 'nat';
  if (forwardMode === 'route') return 'routed';
  if (forwardMode === undefined) return hasAddress ? 'hostonly' : 'isolated';
  return undefined;
}

/** KVMNet's element under <metadata>, found by namespace URI whatever its prefix */
function kvmnetMetadata(metadata: unknown): { kind?: NetworkKind; version?: number; forwards: NetworkForward[] } | undefined {
  const node = asNode(metadata);
  for (const [key, value] of Object.entries(node)) {
    const [prefix, local] = key.includes(':') ? key.split(':', 2) : [undefined, key];
    if (local !== KVMNET_METADATA_ELEMENT) continue;
    const element = asNode(value);
    if (attr(element, prefix ? `xmlns:${prefix}` : 'xmlns') !== KVMNET_XMLNS) continue;
    const kind = NetworkKind.safeParse(attr(element, 'kind'));
    const version = Number(attr(element, 'version'));
    const forwards = asArray(element[prefix ? `${prefix}:forward` : 'forward']).flatMap((f) => readForward(asNode(f)) ?? []);
    return { ...(kind.success && { kind: kind.data }), ...(Number.isInteger(version) && { version }), forwards };
  }
  return undefined;
}

interface ReadIp {
  family: 'ipv4' | 'ipv6';
  address: string;
  subnet: string;
  dhcp: DhcpRange | null;
  hosts: NetworkReservation[];
}

function readIp(node: XmlNode): ReadIp | undefined {
  const address = parseAddress(attr(node, 'address') ?? '');
  if (!address) return undefined;
  const family = address.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  const prefix = ipPrefix(node, address);
  if (prefix === undefined) return undefined;
  const range = asArray(asNode(node.dhcp).range).map(asNode)[0];
  const start = range && parseAddress(attr(range, 'start') ?? '', family);
  const end = range && parseAddress(attr(range, 'end') ?? '', family);
  return {
    family,
    address: address.toString(),
    subnet: cidrText(blockOf(address, prefix)),
    dhcp: start && end ? { start: start.toString(), end: end.toString() } : null,
    hosts: asArray(asNode(node.dhcp).host).flatMap((h) => {
      const host = asNode(h);
      const parsed = NetworkReservation.safeParse({
        mac: attr(host, 'mac')?.toLowerCase(), ip: attr(host, 'ip'), ...(attr(host, 'name') !== undefined && { name: attr(host, 'name') }),
      });
      return parsed.success ? [parsed.data] : [];
    }),
  };
}

function ipPrefix(node: XmlNode, address: IpAddr): number | undefined {
  const prefix = attr(node, 'prefix');
  if (prefix !== undefined) return /^\d{1,3}$/.test(prefix) ? Number(prefix) : undefined;
  const netmask = attr(node, 'netmask');
  if (netmask !== undefined) return prefixFromNetmask(netmask);
  if (address.kind() === 'ipv6') return 64;
  // libvirt falls back to the old address classes for IPv4 without netmask or prefix
  const firstOctet = address.toByteArray()[0] ?? 0;
  return firstOctet < 128 ? 8 : firstOctet < 192 ? 16 : 24;
}

function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlNode) : {};
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function attr(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  const inner = asNode(value)['#text'];
  return typeof inner === 'string' ? inner.trim() || undefined : undefined;
}
