import { MAC_PATTERN } from '../core/attach/mac';

/**
 * What libvirt invents when a network is first defined and keeps across redefinitions only if the
 * new XML carries it: the uuid (which the renderer takes as an option) and the bridge's MAC
 * address. Without the MAC a redefinition gets a new random one, and every guest sees its gateway
 * change address.
 */

/** the bridge MAC of a definition as `virsh net-dumpxml` prints it */
export function bridgeMacOf(xml: string): string | undefined {
  const mac = /<mac\s+address=['"]([0-9A-Fa-f:]{17})['"]\s*\/>/.exec(xml)?.[1]?.toLowerCase();
  return mac !== undefined && MAC_PATTERN.test(mac) ? mac : undefined;
}

/** the rendered definition with the bridge MAC libvirt gave the network, right after `<bridge>` as libvirt writes it */
export function withBridgeMac(xml: string, mac: string): string {
  if (!MAC_PATTERN.test(mac)) throw new Error(`${mac} is not a MAC address`);
  const bridge = /^(\s*)<bridge\b[^>]*\/>$/m.exec(xml);
  if (!bridge) throw new Error('the rendered network definition has no <bridge/> element to put the MAC address after');
  const end = bridge.index + bridge[0].length;
  return `${xml.slice(0, end)}\n${bridge[1]!.replace(/^\n/, '')}<mac address="${mac}"/>${xml.slice(end)}`;
}
