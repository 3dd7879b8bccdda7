import { InterfaceName } from '../names';
import { KvmnetError } from '../kvmnet-error';

/**
 * systemd-networkd's files for a bridge to the LAN, when networkd (not NetworkManager) manages the
 * NIC: a .netdev for the bridge with the NIC's MAC, STP off and no forward delay; a .network that
 * makes the NIC its port; and the user's own .network for the NIC carried over to the bridge (only
 * its [Match] changes), so DHCP or static addresses, routes and DNS stay as they were. The names
 * start with 10- so networkd, which takes the first .network that matches in lexical order, prefers
 * them to the user's file, which stays untouched for undo.
 */

export interface NetworkdFile {
  readonly name: string;
  readonly text: string;
}

export interface NetworkdBridgeRequest {
  readonly bridge: string;
  readonly uplink: string;
  readonly mac: string;
  /** the .network file networkd applies to the uplink now (NETWORK_FILE of its link state) */
  readonly uplinkNetwork: string;
  /** the IAID of the uplink's DHCPv4 client identifier (from its lease), kept for the bridge */
  readonly iaid?: number;
}

/**
 * networkd's DHCPv4 client identifier is by default the IAID and the machine's DUID (RFC 4361), and
 * the IAID comes from the NIC's udev name (enp3s0) where it has one, else from its MAC. The bridge
 * has no such name, so without its own IAID= it would ask the router as another client and get
 * another lease; pinning the NIC's IAID keeps the lease (and the address) the same.
 */
function withIaid(text: string, iaid: number | undefined): string {
  if (iaid === undefined || /^\s*(IAID|ClientIdentifier)\s*=/m.test(text)) return text;
  const lines = text.split('\n');
  const section = lines.findIndex((l) => /^\s*\[DHCPv4\]\s*$/.test(l));
  if (section >= 0) lines.splice(section + 1, 0, `IAID=${iaid}`);
  else return `${text.trimEnd()}\n\n[DHCPv4]\nIAID=${iaid}\n`;
  return lines.join('\n');
}

/** The IAID in a networkd lease's CLIENTID (hex: ff, the 4-byte IAID, the DUID); undefined for any other kind of client identifier. */
export function leaseIaid(leaseText: string): number | undefined {
  const id = /^CLIENTID=ff([0-9a-f]{8})[0-9a-f]+$/im.exec(leaseText)?.[1];
  return id === undefined ? undefined : Number.parseInt(id, 16);
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** the file with its [Match] section (and its [Link] MAC settings, which belong to the NIC) replaced */
function retarget(text: string, name: string): string {
  const out: string[] = [`[Match]`, `Name=${name}`, ''];
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!;
      if (section !== 'Match') out.push(line);
      continue;
    }
    if (section === 'Match' || section === '') continue;
    if (section === 'Link' && /^\s*MACAddress\s*=/.test(line)) continue;
    out.push(line);
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** every KVMNet file starts so: the helper writes and removes no other name in networkd's directories */
export const NETWORKD_FILE_NAME = /^10-kvmnet-[A-Za-z0-9_.-]{1,15}(-port)?\.(netdev|network)$/;

/** The names of KVMNet's files for this bridge, in the order they are written: the bridge's .netdev, the uplink's port .network, the bridge's .network. */
export function networkdFileNames(bridge: string, uplink: string): [string, string, string] {
  for (const [field, value] of [['bridge', bridge], ['uplink', uplink]] as const) {
    const parsed = InterfaceName.safeParse(value);
    if (!parsed.success) throw new KvmnetError('BAD_REQUEST', `${field}: ${parsed.error.issues[0]?.message}`, field);
  }
  const names: [string, string, string] = [`10-kvmnet-${bridge}.netdev`, `10-kvmnet-${uplink}-port.network`, `10-kvmnet-${bridge}.network`];
  // a bridge named "<uplink>-port" would have its .network written over the uplink's port file
  if (names[1] === names[2]) throw new KvmnetError('BAD_REQUEST', `bridge: ${bridge} would share its networkd file with ${uplink}'s port; pick another name with --bridge`, 'bridge');
  return names;
}

export function renderNetworkdBridge(request: NetworkdBridgeRequest): NetworkdFile[] {
  const [netdev, port, network] = networkdFileNames(request.bridge, request.uplink);
  if (!MAC.test(request.mac)) throw new KvmnetError('BAD_REQUEST', `mac: ${request.mac} is not a MAC address in lower case`, 'mac');
  if (request.iaid !== undefined && !(Number.isInteger(request.iaid) && request.iaid >= 0 && request.iaid <= 0xffffffff)) throw new KvmnetError('BAD_REQUEST', `iaid: ${request.iaid} is not a 32-bit unsigned integer`, 'iaid');
  const { bridge, uplink, mac } = request;
  return [
    { name: netdev, text: `[NetDev]\nName=${bridge}\nKind=bridge\nMACAddress=${mac}\n\n[Bridge]\nSTP=no\nForwardDelaySec=0\n` },
    { name: port, text: `[Match]\nName=${uplink}\n\n[Network]\nBridge=${bridge}\n` },
    { name: network, text: withIaid(retarget(request.uplinkNetwork, bridge), request.iaid) },
  ];
}

/** What networkd says about a link (/run/systemd/netif/links/<ifindex>): whether it configures it, and from which file. */
export interface NetworkdLinkState {
  readonly managed: boolean;
  readonly networkFile?: string;
  /** the DNS servers networkd keeps for the link (from its .network and its DHCP lease) */
  readonly dns: readonly string[];
}

export function parseNetworkdLinkState(text: string): NetworkdLinkState {
  const values = new Map(text.split('\n').map((l) => l.split('=', 2) as [string, string | undefined]).filter(([k, v]) => k && v !== undefined) as [string, string][]);
  const admin = values.get('ADMIN_STATE');
  const networkFile = values.get('NETWORK_FILE');
  const dns = (values.get('DNS') ?? '').split(/\s+/).filter(Boolean);
  return { managed: admin === 'configured' || admin === 'configuring', ...(networkFile ? { networkFile } : {}), dns };
}
