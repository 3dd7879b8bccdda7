import { z } from 'zod';
import { HostSnapshot } from '../host-snapshot';
import { NetworkRecord } from '../network/network-record';
import { FirewallChain, FirewallTable } from './firewall-rules';

/**
 * Everything the doctor's checks look at, read once from the host by main/host/doctor-facts.ts.
 * Every read may fail on its own (a tool not installed, not root, a daemon not running): the fact
 * then says so with a reason instead of the whole read failing, and checks turn that into warn.
 */

const Unavailable = z.object({ available: z.literal(false), reason: z.string() });
const availableOr = <T extends z.ZodRawShape>(shape: T) =>
  z.discriminatedUnion('available', [z.object({ available: z.literal(true), ...shape }), Unavailable]);

/** who the device checks are for: the desktop user, also when the doctor runs under sudo */
export const UserFacts = z.object({
  name: z.string(),
  uid: z.number().int(),
  gids: z.array(z.number().int()),
});
export type UserFacts = z.infer<typeof UserFacts>;

/** a device node, by stat only: opening /dev/kvm can hang in nested setups, so nothing opens it */
export const DeviceNode = z.discriminatedUnion('exists', [
  z.object({ path: z.string(), exists: z.literal(false) }),
  z.object({
    path: z.string(),
    exists: z.literal(true),
    /** permission bits, e.g. 0o660 */
    mode: z.number().int(),
    uid: z.number().int(),
    gid: z.number().int(),
    /** the owning group's name, when /etc/group has it */
    group: z.string().optional(),
  }),
]);
export type DeviceNode = z.infer<typeof DeviceNode>;

/** a sysctl's text, or null when its file does not exist (net.bridge.* without br_netfilter) */
const SysctlValue = z.string().nullable();

export const SysctlFacts = z.object({
  ipForward: SysctlValue,
  bridgeNfCallIptables: SysctlValue,
  bridgeNfCallIp6tables: SysctlValue,
  bridgeNfCallArptables: SysctlValue,
});

export const NftFacts = availableOr({ tables: z.array(FirewallTable), chains: z.array(FirewallChain) });
export type NftFacts = z.infer<typeof NftFacts>;

export const FirewallFacts = z.object({
  /** `nft -j list ruleset`: tables, and every chain of the tables that hook forward */
  nft: NftFacts,
  /** the legacy (x_tables) filter table, read only when its kernel module is already loaded */
  iptablesLegacy: z.object({
    /** /proc/net/ip_tables_names: legacy tables something created */
    loadedTables: z.array(z.string()),
    filter: availableOr({ chains: z.array(FirewallChain) }).nullable(),
  }),
  tools: z.object({
    nft: z.boolean(),
    iptables: z.boolean(),
    /** what `iptables --version` says it drives: nf_tables or legacy */
    iptablesVariant: z.enum(['nf_tables', 'legacy']).nullable(),
  }),
  firewalld: z.object({
    /** null when it could not be asked (firewall-cmd missing and no D-Bus answer) */
    running: z.boolean().nullable(),
    zones: z.array(z.string()),
    /** interface → zone, from `firewall-cmd --get-active-zones` */
    interfaceZones: z.record(z.string(), z.string()),
  }),
});

/** a libvirt network as the doctor needs it: addresses and DHCP, which the snapshot does not carry */
export const LibvirtNetworkFacts = z.object({
  name: z.string(),
  active: z.boolean(),
  managedByKvmnet: z.boolean(),
  /** libvirt's forward mode; absent: no <forward>, an isolated or host-only network */
  forwardMode: z.string().optional(),
  bridge: z.string().optional(),
  uplink: z.string().optional(),
  subnets: z.array(z.string()),
  dhcp: z.boolean(),
});
export type LibvirtNetworkFacts = z.infer<typeof LibvirtNetworkFacts>;

export const LibvirtFacts = z.object({
  installed: z.boolean(),
  reachable: z.boolean(),
  /** why libvirt did not answer, as a kind the checks pick a fix by, and in words */
  failure: z.enum(['not-running', 'permission', 'timeout', 'other']).optional(),
  reason: z.string().optional(),
  /** which daemons are installed: one libvirtd, or virtqemud + virtnetworkd */
  daemon: z.enum(['monolithic', 'modular']).nullable(),
  /** firewall_backend from /etc/libvirt/network.conf; null when unset (or libvirt older than 10.4, which has none) */
  firewallBackend: z.string().nullable(),
  /** the zone libvirt installs for firewalld (libvirt.xml); libvirt networks need it under firewalld */
  firewalldZoneInstalled: z.boolean(),
  networks: z.array(LibvirtNetworkFacts),
});

export const RecordProblem = z.object({ file: z.string(), reason: z.string() });

export const DnsmasqFacts = z.object({
  network: z.string(),
  pidFile: z.string(),
  /** null: no pid file, or no number in it */
  pid: z.number().int().nullable(),
  /** the process name behind the pid (/proc/PID/comm), null when no such process */
  process: z.string().nullable(),
});
export type DnsmasqFacts = z.infer<typeof DnsmasqFacts>;

export const Lease = z.object({ network: z.string(), mac: z.string(), ip: z.string(), hostname: z.string().optional() });
export type Lease = z.infer<typeof Lease>;

export const NmDevice = z.object({ device: z.string(), state: z.string(), connection: z.string() });
export type NmDevice = z.infer<typeof NmDevice>;

export const DoctorFacts = z.object({
  user: UserFacts,
  /** whether the reads ran as root: without it nftables cannot be listed */
  root: z.boolean(),
  /** the CPU flag for hardware virtualization: vmx (Intel), svm (AMD), or null when neither */
  cpuVirtualization: z.enum(['vmx', 'svm']).nullable(),
  devices: z.object({ kvm: DeviceNode, tun: DeviceNode, vhostNet: DeviceNode }),
  sysctls: SysctlFacts,
  firewall: FirewallFacts,
  libvirt: LibvirtFacts,
  snapshot: HostSnapshot,
  /** KVMNet's direct networks, from /etc/kvmnet/networks/*.json */
  records: z.array(NetworkRecord),
  recordProblems: z.array(RecordProblem),
  dnsmasq: z.array(DnsmasqFacts),
  leases: z.array(Lease),
  networkManager: availableOr({ devices: z.array(NmDevice) }),
  /**
   * net.ipv4.conf.<uplink>.proxy_arp of the uplinks of proxy-ARP networks ("1": any non-zero
   * value); an uplink that is gone, or whose value could not be read, is absent
   */
  proxyArp: z.record(z.string(), z.enum(['0', '1'])),
});
export type DoctorFacts = z.infer<typeof DoctorFacts>;
