import type { LibvirtDomain } from '../core/host-snapshot';
import { attr, child, children, parseXmlRoot, text, type XmlNode } from './libvirt-xml';

type LibvirtInterface = LibvirtDomain['interfaces'][number];

/** what an interface plugs into, named by whichever attribute its type uses */
const SOURCE_ATTRIBUTES = ['network', 'bridge', 'dev'] as const;

function parseInterface(iface: XmlNode): LibvirtInterface {
  const source = child(iface, 'source');
  const sourceName = SOURCE_ATTRIBUTES.map((a) => attr(source, a)).find((v) => v !== undefined);
  const mac = attr(child(iface, 'mac'), 'address');
  const target = attr(child(iface, 'target'), 'dev');
  const model = attr(child(iface, 'model'), 'type');
  return {
    type: attr(iface, 'type') ?? 'unknown',
    ...(mac ? { mac } : {}),
    ...(sourceName ? { source: sourceName } : {}),
    ...(target ? { target } : {}),
    ...(model ? { model } : {}),
  };
}

/** `virsh dumpxml NAME` plus the state word from `virsh domstate NAME` (LC_ALL=C: running, shut off …) */
export function parseDomainXml(xml: string, state: string): LibvirtDomain {
  const domain = parseXmlRoot(xml, 'domain');
  const name = text(domain, 'name');
  if (!name) throw new Error('libvirt domain XML has no <name>');
  return { name, state: state.trim(), interfaces: children(child(domain, 'devices'), 'interface').map(parseInterface) };
}
