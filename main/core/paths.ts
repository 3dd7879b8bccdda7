import { NetworkName } from './names';

/**
 * Every path KVMNet uses on the host, in one place: what it keeps for itself, what it writes for
 * other programs (dnsmasq, systemd) and where it expects its own programs. The helper refuses to
 * write anywhere else, and the doctor and the docs read the same names.
 *
 * - /etc/kvmnet: intent the user would back up (one JSON record per direct network).
 * - /var/lib/kvmnet: state that must survive a reboot (journals, leases).
 * - /run/kvmnet: what mirrors the running kernel and goes with it at reboot (the nftables network
 *   set, dnsmasq configuration and pid files); the boot unit rebuilds it from the records.
 */

/** a network name becomes part of a file name: refuse anything that could leave the directory */
const fileStem = (network: string): string => {
  const parsed = NetworkName.safeParse(network);
  if (!parsed.success) throw new Error(`refusing to build a path from the network name ${JSON.stringify(network)}`);
  return parsed.data;
};

export const CONFIG_DIR = '/etc/kvmnet';
export const RECORDS_DIR = `${CONFIG_DIR}/networks`;
export const recordPath = (network: string): string => `${RECORDS_DIR}/${fileStem(network)}.json`;

export const STATE_DIR = '/var/lib/kvmnet';
export const JOURNAL_DIR = `${STATE_DIR}/journal`;
export const LEASES_DIR = `${STATE_DIR}/dnsmasq`;
export const leasesPath = (network: string): string => `${LEASES_DIR}/${fileStem(network)}.leases`;

export const RUN_DIR = '/run/kvmnet';
/**
 * the networks whose rules make up KVMNet's nftables table; the table is rendered from it alone.
 * It lives under /run because the kernel's table does not survive a reboot either: a network
 * that was running but is not autostarted must not bring its rules back with the next one restored.
 */
export const NFT_NETWORKS_PATH = `${RUN_DIR}/nftables-networks.json`;
export const DNSMASQ_RUN_DIR = `${RUN_DIR}/dnsmasq`;
export const dnsmasqConfPath = (network: string): string => `${DNSMASQ_RUN_DIR}/${fileStem(network)}.conf`;
export const dnsmasqPidPath = (network: string): string => `${DNSMASQ_RUN_DIR}/${fileStem(network)}.pid`;
/**
 * the network's DHCP reservations, one dhcp-host a line: dnsmasq rereads it on SIGHUP, so a
 * reservation changes without a restart that would drop its in-memory state
 */
export const dnsmasqHostsPath = (network: string): string => `${DNSMASQ_RUN_DIR}/${fileStem(network)}.hosts`;
/** the spec a running dnsmasq was started from, so that stopping it can be undone */
export const dnsmasqSpecPath = (network: string): string => `${DNSMASQ_RUN_DIR}/${fileStem(network)}.spec.json`;

export const SYSTEMD_UNIT_NAME = 'kvmnet-restore.service';
export const SYSTEMD_UNIT_PATH = `/etc/systemd/system/${SYSTEMD_UNIT_NAME}`;
/** what `systemctl enable` creates for a unit with WantedBy=multi-user.target */
export const SYSTEMD_WANTS_PATH = `/etc/systemd/system/multi-user.target.wants/${SYSTEMD_UNIT_NAME}`;

/**
 * the unit that puts back the port forwards of KVMNet's libvirt networks at boot: after libvirtd,
 * whose first network start inserts its own FORWARD rules above anything already there
 */
export const FORWARDS_UNIT_NAME = 'kvmnet-libvirt-forwards.service';
export const FORWARDS_UNIT_PATH = `/etc/systemd/system/${FORWARDS_UNIT_NAME}`;
export const FORWARDS_WANTS_PATH = `/etc/systemd/system/multi-user.target.wants/${FORWARDS_UNIT_NAME}`;

/** the installed helper launcher (resources/), which the boot unit runs with --restore */
export const HELPER_EXECUTABLE = '/usr/libexec/kvmnet/kvmnet-helper';

/** tools the helper runs as root: absolute paths, never whatever an inherited PATH finds first */
export const TOOL_CANDIDATES = {
  ip: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'],
  nft: ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'],
  dnsmasq: ['/usr/sbin/dnsmasq', '/sbin/dnsmasq', '/usr/bin/dnsmasq'],
  virsh: ['/usr/bin/virsh', '/bin/virsh', '/usr/sbin/virsh'],
  nmcli: ['/usr/bin/nmcli', '/bin/nmcli', '/usr/sbin/nmcli'],
  busctl: ['/usr/bin/busctl', '/bin/busctl'],
  /** only to let port forwards past the REJECT rules of libvirt's iptables backend */
  iptables: ['/usr/sbin/iptables', '/sbin/iptables', '/usr/bin/iptables'],
  networkctl: ['/usr/bin/networkctl', '/bin/networkctl'],
} as const;
export type HelperTool = keyof typeof TOOL_CANDIDATES;

/**
 * Bridges to the LAN: what KVMNet made of the uplink the user chose (profile UUIDs, the addressing
 * it moved), so delete can bring it back exactly. A NetworkManager or systemd-networkd bridge
 * survives a reboot, so its record lives under /etc; a runtime bridge does not, so its record lives
 * under /run and goes with it.
 */
export const BRIDGED_DIR = `${CONFIG_DIR}/bridged`;
export const RUNTIME_BRIDGED_DIR = `${RUN_DIR}/bridged`;
export const bridgedRecordPath = (network: string, persistent: boolean): string =>
  `${persistent ? BRIDGED_DIR : RUNTIME_BRIDGED_DIR}/${fileStem(network)}.json`;
/** a change waiting for the user's confirmation; rolled back when its deadline passes */
export const PENDING_DIR = `${RUN_DIR}/pending`;
export const pendingPath = (network: string): string => `${PENDING_DIR}/${fileStem(network)}.json`;
/** how the last pending change of a network ended: confirmed or rolled back */
export const pendingOutcomePath = (network: string): string => `${PENDING_DIR}/${fileStem(network)}.outcome.json`;
/** the D-Bus path of the NetworkManager checkpoint a network's change runs under */
export const NM_CHECKPOINT_DIR = `${RUN_DIR}/nm-checkpoint`;
export const nmCheckpointPath = (network: string): string => `${NM_CHECKPOINT_DIR}/${fileStem(network)}`;
/** where NetworkManager keeps keyfile profiles; a deleted KVMNet profile is restored from its keyfile */
export const NM_KEYFILE_DIRS = ['/etc/NetworkManager/system-connections', '/run/NetworkManager/system-connections'] as const;
export const SYSTEMD_NETWORK_DIRS = { runtime: '/run/systemd/network', persistent: '/etc/systemd/network' } as const;
