import { XMLBuilder } from 'fast-xml-parser';
import { z } from 'zod';
import { InterfaceName } from '../names';
import { GuestMac } from './mac';
import { NicModel } from './nic-model';
import { NicSource } from './nic-source';

/**
 * One guest NIC as libvirt's `<interface>` element (formatdomain "Network interfaces"): what
 * `virsh attach-device DOMAIN FILE --config` adds to an existing guest, and what a domain
 * definition holds. Children come in the order `virsh dumpxml` prints them.
 */

/** libvirt and hypervisors name their own taps so and may ignore a target that starts alike */
const RESERVED_TARGET_PREFIXES = ['vnet', 'vif', 'macvtap', 'macvlan'] as const;

export const InterfaceTarget = InterfaceName.refine((name) => !RESERVED_TARGET_PREFIXES.some((p) => name.startsWith(p)), {
  error: (i) => `"${String(i.input)}" starts with ${RESERVED_TARGET_PREFIXES.join(', ')}, which libvirt reserves for the taps it names itself; pick another name (such as kvt-web0) or leave the target out`,
});

export const LibvirtInterface = z.strictObject({
  source: NicSource,
  model: NicModel,
  mac: GuestMac,
  /** the host-side tap's name; left out, libvirt names it vnetN */
  target: InterfaceTarget.optional(),
});
export type LibvirtInterface = z.input<typeof LibvirtInterface>;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

export function renderLibvirtInterfaceXml(input: LibvirtInterface): string {
  const nic = LibvirtInterface.parse(input);
  const source = nic.source.type === 'network' ? { '@_network': nic.source.network } : { '@_bridge': nic.source.bridge };
  return builder.build({
    interface: {
      '@_type': nic.source.type,
      mac: { '@_address': nic.mac },
      source,
      ...(nic.target !== undefined && { target: { '@_dev': nic.target } }),
      model: { '@_type': nic.model },
    },
  }) as string;
}
