import { z } from 'zod';
import { InterfaceName, NetworkName } from '../core/names';
import { NetworkSpec } from '../core/network/network-spec';
import { NetworkReservation } from '../core/attach/reservation';
import { FORWARDS_UNIT_NAME, FORWARDS_UNIT_PATH, FORWARDS_WANTS_PATH, RECORDS_DIR, LEASES_DIR, SYSTEMD_UNIT_NAME, SYSTEMD_UNIT_PATH, SYSTEMD_WANTS_PATH, BRIDGED_DIR, RUNTIME_BRIDGED_DIR, NM_CHECKPOINT_DIR, PENDING_DIR } from '../core/paths';
import { parseLibvirtNetworkXml } from '../core/render/libvirt-network-xml';
import { BridgedUndo, describeBridgedUndo } from './bridged-undo';
import { DomainName } from '../core/attach/domain-name';
import { GuestMac } from '../core/attach/mac';
import { NicXml, nicXmlProblem } from '../core/attach/domain-nic-xml';
import { NicSource } from '../core/attach/nic-source';

/**
 * The restoring actions of host steps (firewall, dnsmasq, libvirt, files). Like the link-level
 * ones in undo.ts, each says how a thing must END UP, so a rollback can be replayed after a crash
 * at any point. They are read back from the journal at recovery, so every field is as narrow as
 * what the helper itself would write: known paths only, specs by their schema, and libvirt XML only
 * when it describes a KVMNet network of that name.
 */

const escaped = (s: string) => s.replaceAll('.', '\\.');
const NAME = '[A-Za-z0-9][A-Za-z0-9_-]{0,31}';
const MANAGED_FILES = [
  new RegExp(`^${escaped(RECORDS_DIR)}/${NAME}\\.json$`),
  new RegExp(`^${escaped(LEASES_DIR)}/${NAME}\\.leases$`),
  new RegExp(`^${escaped(SYSTEMD_UNIT_PATH)}$`),
  new RegExp(`^(${escaped(BRIDGED_DIR)}|${escaped(RUNTIME_BRIDGED_DIR)})/${NAME}\\.json$`),
  new RegExp(`^${escaped(NM_CHECKPOINT_DIR)}/${NAME}$`),
  new RegExp(`^${escaped(PENDING_DIR)}/${NAME}\\.outcome\\.json$`),
  new RegExp(`^${escaped(FORWARDS_UNIT_PATH)}$`),
];

/** the text files host steps write, and whose earlier content or absence an inverse restores */
export const ManagedFilePath = z.string().max(200).refine((p) => MANAGED_FILES.some((re) => re.test(p)), {
  message: 'not a file KVMNet writes',
});

/** where the enablement symlink may point: KVMNet's unit, whether the helper or a package installed it */
const UnitTarget = z.string().regex(new RegExp(`^/(etc|usr/lib|lib)/systemd/system/(${escaped(SYSTEMD_UNIT_NAME)}|${escaped(FORWARDS_UNIT_NAME)})$`));

const MAX_FILE_BYTES = 256 * 1024;

const KvmnetNetworkXml = z.string().max(MAX_FILE_BYTES);

export const HostUndo = z.discriminatedUnion('ensure', [
  /** the network's entry in KVMNet's nftables network set (null: none), and the table loaded from that set */
  z.object({ ensure: z.literal('nft.network'), network: NetworkName, spec: NetworkSpec.nullable() }).strict(),
  z.object({ ensure: z.literal('dnsmasq.stopped'), network: NetworkName }).strict(),
  z.object({ ensure: z.literal('dnsmasq.running'), spec: NetworkSpec }).strict(),
  z.object({ ensure: z.literal('libvirt.defined'), network: NetworkName, xml: KvmnetNetworkXml }).strict()
    .refine((u) => {
      try {
        const parsed = parseLibvirtNetworkXml(u.xml);
        return parsed.managedByKvmnet && parsed.name === u.network;
      } catch {
        return false;
      }
    }, { message: 'the XML to restore is not a KVMNet network of that name' }),
  z.object({ ensure: z.literal('libvirt.undefined'), network: NetworkName }).strict(),
  z.object({ ensure: z.literal('libvirt.active'), network: NetworkName, active: z.boolean() }).strict(),
  z.object({ ensure: z.literal('libvirt.autostart'), network: NetworkName, enabled: z.boolean() }).strict(),
  /** null: the file must not exist */
  z.object({ ensure: z.literal('file'), path: ManagedFilePath, content: z.string().max(MAX_FILE_BYTES).nullable() }).strict(),
  z.object({ ensure: z.literal('symlink'), path: z.enum([SYSTEMD_WANTS_PATH, FORWARDS_WANTS_PATH]), target: UnitTarget.nullable() }).strict(),
  /** whether NetworkManager manages a KVMNet link */
  z.object({ ensure: z.literal('nm.managed'), device: InterfaceName, managed: z.boolean() }).strict(),
  ...BridgedUndo.options,
  /** the domain has no NIC with this MAC, in its configuration or running */
  z.object({ ensure: z.literal('libvirt.nicAbsent'), domain: DomainName, mac: GuestMac }).strict(),
  /**
   * the domain has this NIC again, where it had it: `config` and `live` are its own `<interface>`
   * XML as libvirt had it in the configuration and the running guest (null: it was not there)
   */
  z.object({ ensure: z.literal('libvirt.nicPresent'), domain: DomainName, source: NicSource, mac: GuestMac, config: NicXml.nullable(), live: NicXml.nullable() }).strict()
    .superRefine((u, ctx) => {
      for (const where of ['config', 'live'] as const) {
        const xml = u[where];
        const problem = xml === null ? undefined : nicXmlProblem(xml, u);
        if (problem) ctx.addIssue({ code: 'custom', path: [where], message: problem });
      }
    }),
  /** the running dnsmasq serves these reservations (a stopped one is left stopped) */
  z.object({ ensure: z.literal('dnsmasq.hosts'), spec: NetworkSpec }).strict(),
  /** the running libvirt network has (or has not) this reservation */
  z.object({ ensure: z.literal('libvirt.dhcpHost'), network: NetworkName, host: NetworkReservation, present: z.boolean() }).strict(),
]);
export type HostUndo = z.infer<typeof HostUndo>;

export function describeHostUndo(undo: HostUndo): string {
  switch (undo.ensure) {
    case 'nft.network': return undo.spec ? `put back the firewall rules of network ${undo.network}` : `remove the firewall rules of network ${undo.network}`;
    case 'dnsmasq.stopped': return `stop the dnsmasq of network ${undo.network}`;
    case 'dnsmasq.running': return `start the dnsmasq of network ${undo.spec.name} again`;
    case 'libvirt.defined': return `restore the libvirt definition of network ${undo.network}`;
    case 'libvirt.undefined': return `undefine libvirt network ${undo.network}`;
    case 'libvirt.active': return `${undo.active ? 'start' : 'stop'} libvirt network ${undo.network}`;
    case 'libvirt.autostart': return `${undo.enabled ? 'enable' : 'disable'} autostart of libvirt network ${undo.network}`;
    case 'file': return undo.content === null ? `remove ${undo.path}` : `restore ${undo.path}`;
    case 'symlink': return undo.target === null ? `remove ${undo.path}` : `point ${undo.path} back to ${undo.target}`;
    case 'nm.managed': return `let NetworkManager ${undo.managed ? 'manage' : 'leave alone'} ${undo.device} again`;
    case 'libvirt.nicAbsent': return `remove the NIC ${undo.mac} from domain ${undo.domain}`;
    case 'libvirt.nicPresent': return `put the NIC ${undo.mac} back on domain ${undo.domain}`;
    case 'dnsmasq.hosts': return `put back the DHCP reservations of network ${undo.spec.name}`;
    case 'libvirt.dhcpHost': return `${undo.present ? 'put back' : 'remove'} the reservation of ${undo.host.mac} in libvirt network ${undo.network}`;
    default: return describeBridgedUndo(undo);
  }
}
