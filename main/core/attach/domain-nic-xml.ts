import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { normalizeMac } from './mac';
import type { NicSource } from './nic-source';

/**
 * One guest NIC's own `<interface>` element, as libvirt had it in a domain's XML: what a detach
 * keeps so that its rollback (`virsh attach-device`) puts the NIC back exactly, PCI address, boot
 * order, driver, link state and all. The text is read back from the journal and handed to libvirt
 * as root, so it is held to a narrow shape: one `<interface>` of the types KVMNet attaches
 * (network, bridge), only the elements and attributes below, and attribute values without "/",
 * so nothing in it can name a script, a tap or vhost device, a ROM file or anything else outside
 * the NIC.
 */

const MAX_NIC_XML = 16 * 1024;

/** formatdomain's children of `<interface>` a network or bridge NIC may carry, each with its attributes and children */
interface Allowed {
  readonly attributes: readonly string[];
  readonly children?: Readonly<Record<string, Allowed>>;
}

const leaf = (...attributes: string[]): Allowed => ({ attributes });

const BANDWIDTH_RATE = leaf('average', 'peak', 'burst', 'floor');

const INTERFACE: Allowed = {
  attributes: ['type', 'trustGuestRxFilters'],
  children: {
    mac: leaf('address', 'type', 'check'),
    // portid and bridge appear in a running guest's XML; libvirt drops them when a NIC is attached
    source: leaf('network', 'bridge', 'portgroup', 'portid'),
    target: leaf('dev', 'managed'),
    guest: leaf('dev', 'actual'),
    model: leaf('type'),
    driver: {
      attributes: ['name', 'txmode', 'ioeventfd', 'event_idx', 'queues', 'rx_queue_size', 'tx_queue_size', 'iommu', 'ats', 'packed', 'page_per_vq', 'rss', 'rss_hash_report'],
      children: { host: leaf('csum', 'gso', 'tso4', 'tso6', 'ecn', 'ufo', 'mrg_rxbuf'), guest: leaf('csum', 'tso4', 'tso6', 'ecn', 'ufo') },
    },
    address: leaf('type', 'domain', 'bus', 'slot', 'function', 'multifunction'),
    boot: leaf('order', 'loadparm'),
    alias: leaf('name'),
    link: leaf('state'),
    mtu: leaf('size'),
    // no file: a ROM image is a path on the host
    rom: leaf('bar', 'enabled'),
    bandwidth: { attributes: [], children: { inbound: BANDWIDTH_RATE, outbound: BANDWIDTH_RATE } },
    vlan: { attributes: ['trunk'], children: { tag: leaf('id', 'nativeMode') } },
    virtualport: { attributes: ['type'], children: { parameters: leaf('interfaceid', 'profileid', 'instanceid', 'managerid', 'typeid', 'typeidversion') } },
    filterref: { attributes: ['filter'], children: { parameter: leaf('name', 'value') } },
    coalesce: { attributes: [], children: { rx: { attributes: [], children: { frames: leaf('max') } } } },
    port: leaf('isolated'),
    acpi: leaf('index'),
  },
};

/** names, numbers, hex, MACs and addresses; no "/" (no path), no quotes or markup */
const ATTRIBUTE_VALUE = /^[A-Za-z0-9_.:,+@ -]{0,128}$/;

const ATTRIBUTES = ':@';
const TEXT = '#text';

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true, htmlEntities: false });
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', suppressEmptyNode: true, format: true, indentBy: '  ' });

const tagOf = (node: OrderedNode): string | undefined => Object.keys(node).find((k) => k !== ATTRIBUTES);
const attributesOf = (node: OrderedNode): Record<string, unknown> => (node[ATTRIBUTES] as Record<string, unknown> | undefined) ?? {};
const childrenOf = (node: OrderedNode, tag: string): OrderedNode[] => (Array.isArray(node[tag]) ? (node[tag] as OrderedNode[]) : []);

/** the first thing wrong with an element against its allowlist entry, or undefined */
function problemWith(node: OrderedNode, path: string, allowed: Allowed): string | undefined {
  for (const [name, value] of Object.entries(attributesOf(node))) {
    if (!allowed.attributes.includes(name)) return `${path} has the attribute ${name}, which KVMNet does not put back`;
    if (typeof value !== 'string' || !ATTRIBUTE_VALUE.test(value)) return `${path} ${name}="${String(value)}" is not a plain name or number`;
  }
  const tag = tagOf(node);
  if (tag === undefined) return `${path} is not an element`;
  for (const child of childrenOf(node, tag)) {
    const name = tagOf(child);
    if (name === TEXT) return `${path} holds text, which no element KVMNet puts back has`;
    const entry = name === undefined ? undefined : allowed.children?.[name];
    if (!entry) return `${path} has a <${name ?? '?'}> element, which KVMNet does not put back`;
    const problem = problemWith(child, `${path}/${name}`, entry);
    if (problem) return problem;
  }
  return undefined;
}

function parseOrdered(xml: string): OrderedNode[] | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  return parser.parse(xml) as OrderedNode[];
}

/** the single `<interface>` element of a NIC's XML, or why there is not exactly one of the allowed shape */
function interfaceNode(xml: string): OrderedNode | string {
  // no prolog, doctype, comment or processing instruction: the element alone
  if (xml.length > MAX_NIC_XML) return `the NIC's XML is longer than ${MAX_NIC_XML} characters`;
  if (!xml.trimStart().startsWith('<interface')) return 'the NIC\'s XML must be one <interface> element and nothing else';
  const nodes = parseOrdered(xml);
  if (!nodes) return 'the NIC\'s XML is not well-formed';
  const elements = nodes.filter((n) => tagOf(n) !== undefined);
  if (elements.length !== 1 || tagOf(elements[0]!) !== 'interface') return 'the NIC\'s XML must be one <interface> element and nothing else';
  const nic = elements[0]!;
  const type = attributesOf(nic).type;
  if (type !== 'network' && type !== 'bridge') return `the NIC's type is ${String(type)}; KVMNet puts back only network and bridge NICs`;
  return problemWith(nic, 'interface', INTERFACE) ?? nic;
}

const only = (nic: OrderedNode, name: string): OrderedNode[] => childrenOf(nic, 'interface').filter((c) => tagOf(c) === name);

/** the problem with `xml` as the NIC with this MAC on this source, or undefined when it is one */
export function nicXmlProblem(xml: string, expected: { mac: string; source: NicSource }): string | undefined {
  const nic = interfaceNode(xml);
  if (typeof nic === 'string') return nic;
  const macs = only(nic, 'mac');
  const mac = macs.length === 1 ? attributesOf(macs[0]!).address : undefined;
  if (typeof mac !== 'string' || normalizeMac(mac) !== expected.mac) return `the NIC's XML is not the NIC ${expected.mac}`;
  const sources = only(nic, 'source');
  const source = sources.length === 1 ? attributesOf(sources[0]!) : {};
  const wanted = expected.source.type === 'network' ? expected.source.network : expected.source.bridge;
  if (attributesOf(nic).type !== expected.source.type || source[expected.source.type] !== wanted) {
    return `the NIC's XML does not plug into ${expected.source.type} ${wanted}`;
  }
  return undefined;
}

/** a NIC's XML of the allowed shape (which NIC it is, is checked where the MAC and source are known) */
export const NicXml = z.string().max(MAX_NIC_XML).superRefine((xml, ctx) => {
  const nic = interfaceNode(xml);
  if (typeof nic === 'string') ctx.addIssue({ code: 'custom', message: nic });
});

const hasMac = (nic: OrderedNode, mac: string): boolean => only(nic, 'mac').some((m) => {
  const address = attributesOf(m).address;
  return typeof address === 'string' && normalizeMac(address) === mac;
});

function devicesOf(domainXml: string): OrderedNode[] {
  const domain = parseOrdered(domainXml)?.find((n) => tagOf(n) === 'domain');
  if (!domain) throw new Error('expected a <domain> document from virsh');
  const devices = childrenOf(domain, 'domain').find((n) => tagOf(n) === 'devices');
  return devices ? childrenOf(devices, 'devices').filter((n) => tagOf(n) !== undefined) : [];
}

/**
 * The `<interface>` element of the NIC with this MAC in a domain's XML (`virsh dumpxml`), written
 * out on its own; undefined when the domain has no such NIC.
 */
export function domainNicXml(domainXml: string, mac: string): string | undefined {
  const nic = devicesOf(domainXml).find((n) => tagOf(n) === 'interface' && hasMac(n, mac));
  return nic ? (builder.build([nic]) as string).trim() : undefined;
}

/**
 * Whether this NIC is the only device of the domain with a boot order. libvirt then gives the
 * domain `<os><boot dev='hd'/>` when the NIC goes, and refuses the NIC's boot order next to it
 * when it comes back, so such a NIC cannot be put back as it was.
 */
export function isOnlyBootDevice(domainXml: string, mac: string): boolean {
  const booting = devicesOf(domainXml).filter((device) => childrenOf(device, tagOf(device)!).some((c) => tagOf(c) === 'boot'));
  return booting.length === 1 && tagOf(booting[0]!) === 'interface' && hasMac(booting[0]!, mac);
}
