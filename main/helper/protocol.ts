import { z } from 'zod';
import { InterfaceName, NetworkName } from '../core/names';
import { HostSnapshot } from '../core/host-snapshot';
import { NetworkSpec, NetworkSpecReservations } from '../core/network/network-spec';
import { NetworkRecord } from '../core/network/network-record';
import { AddressWithPrefix } from '../core/network/address-schemas';
import { BridgedStep, PendingStep } from '../core/bridge-to-lan/bridged-steps';
import { DomainName } from '../core/attach/domain-name';
import { GuestMac, isMulticast, LowerCaseMac, MacAddress } from '../core/attach/mac';
import { NicModel } from '../core/attach/nic-model';
import { NicSource } from '../core/attach/nic-source';
import { NetworkReservation } from '../core/attach/reservation';

/**
 * The helper protocol: newline-delimited JSON over the helper's stdin/stdout.
 * This file is the single definition of every message; both the client (main, CLI) and the
 * helper parse with these schemas, so a compromised client cannot reach root with anything else.
 */

export const MAX_REQUEST_BYTES = 1024 * 1024;
export const MAX_PLAN_STEPS = 2000;

/** sysctls the helper may write; `<if>` must name a link KVMNet owns (proxy_arp: or the uplink of a proxy-ARP network, see sysctl-set.ts) */
export const SYSCTL_ALLOWLIST = [
  /^net\.ipv4\.ip_forward$/,
  /^net\.ipv6\.conf\.all\.forwarding$/,
  /^net\.ipv4\.conf\.(?<if>[A-Za-z0-9_.-]{1,15})\.(forwarding|proxy_arp|rp_filter)$/,
  /^net\.ipv6\.conf\.(?<if>[A-Za-z0-9_.-]{1,15})\.(forwarding|disable_ipv6|accept_ra)$/,
] as const;

export const SysctlKey = z
  .string()
  .max(80)
  .refine((k) => SYSCTL_ALLOWLIST.some((re) => re.test(k)), {
    message: 'sysctl key is not on the helper allowlist',
  });


/** a unicast MAC in the lower-case form ip prints, so the helper never sets a multicast or broadcast address */
const UnicastMac = LowerCaseMac.refine((mac) => !isMulticast(mac), { message: 'MAC must be a unicast address in lower case, e.g. 52:54:00:12:34:57' });

const Uid = z.number().int().min(0).max(2 ** 31 - 1);

export const LinkAddStep = z.discriminatedUnion('kind', [
  z.object({ op: z.literal('link.add'), kind: z.literal('bridge'), name: InterfaceName, network: NetworkName, stp: z.boolean().optional(), mtu: z.number().int().min(68).max(65535).optional() }).strict(),
  z.object({
    op: z.literal('link.add'), kind: z.literal('tap'), name: InterfaceName, network: NetworkName, user: Uid.optional(), mtu: z.number().int().min(68).max(65535).optional(),
    /** the tap's own (host-side) MAC; guest taps carry their guest's MAC with first octet fe, as libvirt's do */
    mac: MacAddress.refine((mac) => !isMulticast(mac), { error: 'a tap MAC must be unicast (even first octet)' }).optional(),
  }).strict(),
  z.object({ op: z.literal('link.add'), kind: z.literal('veth'), name: InterfaceName, peer: InterfaceName, network: NetworkName, mtu: z.number().int().min(68).max(65535).optional() }).strict(),
]);

// discriminated on op: zod looks the step's schema up instead of trying every one in turn (a create's plan parses 4–5 times faster)
export const Step = z.discriminatedUnion('op', [
  LinkAddStep,
  z.object({ op: z.literal('link.delete'), name: InterfaceName }).strict(),
  z.object({ op: z.literal('link.setMaster'), name: InterfaceName, master: InterfaceName.nullable() }).strict(),
  z.object({ op: z.literal('link.setState'), name: InterfaceName, up: z.boolean() }).strict(),
  z.object({ op: z.literal('link.setAlias'), name: InterfaceName, network: NetworkName }).strict(),
  z.object({ op: z.literal('addr.add'), dev: InterfaceName, address: AddressWithPrefix }).strict(),
  z.object({ op: z.literal('addr.delete'), dev: InterfaceName, address: AddressWithPrefix }).strict(),
  z.object({ op: z.literal('sysctl.set'), key: SysctlKey, value: z.enum(['0', '1', '2']) }).strict(),
  // Network-level families carry the network's spec, never a script, file text or XML: the helper
  // renders nft rules, dnsmasq configuration and libvirt XML itself from the spec, so a
  // compromised client can only ask for what a valid KVMNet network is.
  /** replace the network's rules in KVMNet's own `inet kvmnet` table; spec null removes them */
  z.object({ op: z.literal('nft.network'), network: NetworkName, spec: NetworkSpec.nullable() }).strict(),
  /** a dnsmasq bound to the network's bridge only, with its own conf, pid and lease files */
  z.object({ op: z.literal('dnsmasq.start'), spec: NetworkSpec }).strict(),
  z.object({ op: z.literal('dnsmasq.stop'), network: NetworkName }).strict(),
  /** virsh net-define of the XML rendered from the spec, tagged with KVMNet's metadata */
  z.object({ op: z.literal('libvirt.define'), spec: NetworkSpec }).strict(),
  /** only networks carrying KVMNet's metadata */
  z.object({ op: z.literal('libvirt.undefine'), network: NetworkName }).strict(),
  z.object({ op: z.literal('libvirt.start'), network: NetworkName }).strict(),
  z.object({ op: z.literal('libvirt.stop'), network: NetworkName }).strict(),
  z.object({ op: z.literal('libvirt.autostart'), network: NetworkName, enabled: z.boolean() }).strict(),
  /** /etc/kvmnet/networks/<name>.json: the intent the kernel cannot store */
  z.object({ op: z.literal('record.write'), record: NetworkRecord }).strict(),
  /** also removes the network's DHCP lease file: nothing needs it once the network is gone */
  z.object({ op: z.literal('record.delete'), network: NetworkName }).strict(),
  /** the systemd unit that restores direct networks at boot */
  z.object({ op: z.literal('boot.unit'), enabled: z.boolean() }).strict(),
  /** the doctor's fix for two taps sharing a MAC: a new address for a tap KVMNet owns */
  z.object({ op: z.literal('link.setAddress'), name: InterfaceName, mac: UnicastMac }).strict(),
  /** the doctor's fix for NetworkManager holding a KVMNet link: `nmcli device set <link> managed no|yes` */
  z.object({ op: z.literal('nm.managed'), device: InterfaceName, managed: z.boolean() }).strict(),
  /** bridges to the LAN (bridged-steps.ts) */
  ...BridgedStep.options,
  ...PendingStep.options,
  /** puts the network's own tap on the bridge of a KVMNet libvirt network, which libvirt owns (no kvmnet: alias) */
  z.object({ op: z.literal('libvirt.attachTap'), network: NetworkName, tap: InterfaceName }).strict(),
  /**
   * virsh attach-interface --config (and --live while the domain runs) on the domain the user
   * named; the source must be the network's own (its libvirt network, or its bridge when direct)
   */
  z.object({ op: z.literal('libvirt.attachInterface'), domain: DomainName, network: NetworkName, source: NicSource, mac: GuestMac, model: NicModel }).strict(),
  /** removes only the domain's NIC with this MAC, and only when it is plugged into this network's source */
  z.object({ op: z.literal('libvirt.detachInterface'), domain: DomainName, network: NetworkName, source: NicSource, mac: GuestMac }).strict(),
  /**
   * the running dnsmasq of a direct network serves these reservations (dhcp-hostsfile + SIGHUP);
   * only what the hosts file holds travels, the rest of the spec is the one dnsmasq was started from
   */
  z.object({ op: z.literal('dnsmasq.hosts'), network: NetworkName, bridge: InterfaceName, reservations: NetworkSpecReservations }).strict(),
  /** the unit that puts back the port forwards of KVMNet's libvirt networks at boot, after libvirtd */
  z.object({ op: z.literal('boot.forwardsUnit'), enabled: z.boolean() }).strict(),
  /** a reservation in a running KVMNet libvirt network (virsh net-update --live; the definition holds it through libvirt.define) */
  z.object({ op: z.literal('libvirt.dhcpHost'), network: NetworkName, host: NetworkReservation, present: z.boolean() }).strict(),
]);
export type Step = z.infer<typeof Step>;
export type StepOp = Step['op'];

export const Plan = z
  .object({
    /** shown in progress and logs; not trusted for anything else */
    description: z.string().max(200).optional(),
    steps: z.array(Step).min(1).max(MAX_PLAN_STEPS),
  })
  .strict();
export type Plan = z.infer<typeof Plan>;

export const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/);

export const Request = z.discriminatedUnion('method', [
  z.object({ id: RequestId, method: z.literal('ping') }).strict(),
  z.object({ id: RequestId, method: z.literal('observe') }).strict(),
  z.object({ id: RequestId, method: z.literal('apply'), plan: Plan }).strict(),
]);
export type Request = z.infer<typeof Request>;
export type Method = Request['method'];

export const ErrorCode = z.enum([
  'INVALID_REQUEST', // malformed JSON or a schema violation: nothing ran
  'NOT_OWNED', // a step targets something KVMNet does not own: nothing ran
  'NOT_ALLOWED', // outside the allowlist: nothing ran
  'APPLY_FAILED', // a step failed and every completed step was undone
  'ROLLBACK_INCOMPLETE', // a step failed and some inverses failed too: see `left`
  'BUSY',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApplyFailure = z.object({
  failedIndex: z.number().int(),
  failedOp: z.string(),
  reason: z.string(),
  undone: z.number().int(),
  /** what could not be restored, in plain words */
  left: z.array(z.string()),
});
export type ApplyFailure = z.infer<typeof ApplyFailure>;

export const HelperError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** the request field at fault, as a dotted path, for bad input */
  field: z.string().optional(),
  failure: ApplyFailure.optional(),
});
export type HelperError = z.infer<typeof HelperError>;

export const PingResult = z.object({ version: z.string(), uid: z.number().int(), pid: z.number().int(), recovered: z.number().int() });
export const ApplyResult = z.object({ applied: z.number().int() });
export type PingResult = z.infer<typeof PingResult>;
export type ApplyResult = z.infer<typeof ApplyResult>;

export const ResultByMethod = {
  ping: PingResult,
  observe: HostSnapshot,
  apply: ApplyResult,
} as const satisfies Record<Method, z.ZodType>;

export const StepStatus = z.enum(['running', 'done', 'failed', 'undoing', 'undone', 'undo-failed']);
export const ProgressEvent = z.object({
  id: z.string(),
  event: z.literal('progress'),
  index: z.number().int(),
  total: z.number().int(),
  op: z.string(),
  status: StepStatus,
  message: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;

export const Response = z.union([
  z.object({ id: z.string().nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.string().nullable(), ok: z.literal(false), error: HelperError }),
]);
export type Response = z.infer<typeof Response>;

export const HelperMessage = z.union([ProgressEvent, Response]);
export type HelperMessage = z.infer<typeof HelperMessage>;
