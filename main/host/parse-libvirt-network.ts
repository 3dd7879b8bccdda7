import type { LibvirtNetwork } from '../core/host-snapshot';
import { KVMNET_XMLNS } from '../core/libvirt-metadata';
import { attr, child, isNode, parseXmlRoot, text, type XmlNode } from './libvirt-xml';

/** What `virsh net-info` says that the XML does not: run state, persistence and autostart. */
export interface NetInfo {
  active: boolean;
  persistent: boolean;
  autostart: boolean;
}

/** `virsh net-info NAME` prints "Key:   value" lines; virsh must run with LC_ALL=C for these words */
export function parseNetInfo(output: string): NetInfo {
  const fields = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([A-Za-z ]+):\s*(.*)$/.exec(line.trim());
    if (match) fields.set(match[1]!.trim().toLowerCase(), match[2]!.trim());
  }
  const flag = (key: string): boolean => {
    const value = fields.get(key);
    if (value !== 'yes' && value !== 'no') throw new Error(`virsh net-info printed no yes/no for ${key}`);
    return value === 'yes';
  };
  return { active: flag('active'), persistent: flag('persistent'), autostart: flag('autostart') };
}

/**
 * The element itself must be in KVMNet's namespace: matched by URI, whatever the prefix, since
 * libvirt keeps foreign metadata verbatim and other tools may use any prefix.
 */
function inKvmnetNamespace(tag: string, element: XmlNode): boolean {
  const colon = tag.indexOf(':');
  const declaration = colon === -1 ? '@_xmlns' : `@_xmlns:${tag.slice(0, colon)}`;
  return element[declaration] === KVMNET_XMLNS;
}

function hasKvmnetMetadata(metadata: XmlNode | undefined): boolean {
  if (!metadata) return false;
  return Object.entries(metadata).some(([tag, value]) =>
    !tag.startsWith('@_') && (Array.isArray(value) ? value : [value]).some((element) => isNode(element) && inKvmnetNamespace(tag, element)),
  );
}

/** libvirt's vocabulary: `<forward/>` without a mode is NAT; no `<forward>` at all is an isolated network */
function forwardMode(network: XmlNode): string {
  const forward = child(network, 'forward');
  if (forward) return attr(forward, 'mode') ?? 'nat';
  return network.forward === undefined ? 'isolated' : 'nat';
}

export function parseNetworkXml(xml: string, info: NetInfo): LibvirtNetwork {
  const network = parseXmlRoot(xml, 'network');
  const name = text(network, 'name');
  if (!name) throw new Error('libvirt network XML has no <name>');
  const uuid = text(network, 'uuid');
  const bridge = attr(child(network, 'bridge'), 'name');
  return {
    name,
    ...(uuid ? { uuid } : {}),
    ...info,
    ...(bridge ? { bridge } : {}),
    forwardMode: forwardMode(network),
    managedByKvmnet: hasKvmnetMetadata(child(network, 'metadata')),
  };
}
