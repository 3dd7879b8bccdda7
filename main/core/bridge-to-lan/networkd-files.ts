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

export function renderNetworkdBridge(request: NetworkdBridgeRequest): NetworkdFile[] {
  for (const field of ['bridge', 'uplink'] as const) {
    const parsed = InterfaceName.safeParse(request[field]);
    if (!parsed.success) throw new KvmnetError('BAD_REQUEST', `${field}: ${parsed.error.issues[0]?.message}`, field);
  }
  if (!MAC.test(request.mac)) throw new KvmnetError('BAD_REQUEST', `mac: ${request.mac} is not a MAC address in lower case`, 'mac');
  const { bridge, uplink, mac } = request;
  return [
    { name: `10-kvmnet-${bridge}.netdev`, text: `[NetDev]\nName=${bridge}\nKind=bridge\nMACAddress=${mac}\n\n[Bridge]\nSTP=no\nForwardDelaySec=0\n` },
    { name: `10-kvmnet-${uplink}-port.network`, text: `[Match]\nName=${uplink}\n\n[Network]\nBridge=${bridge}\n` },
    { name: `10-kvmnet-${bridge}.network`, text: retarget(request.uplinkNetwork, bridge) },
  ];
}

/** What networkd says about a link (/run/systemd/netif/links/<ifindex>): whether it configures it, and from which file. */
export interface NetworkdLinkState {
  readonly managed: boolean;
  readonly networkFile?: string;
}

export function parseNetworkdLinkState(text: string): NetworkdLinkState {
  const values = new Map(text.split('\n').map((l) => l.split('=', 2) as [string, string | undefined]).filter(([k, v]) => k && v !== undefined) as [string, string][]);
  const admin = values.get('ADMIN_STATE');
  const networkFile = values.get('NETWORK_FILE');
  return { managed: admin === 'configured' || admin === 'configuring', ...(networkFile ? { networkFile } : {}) };
}
