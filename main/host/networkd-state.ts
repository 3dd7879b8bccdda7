import { readFile } from 'node:fs/promises';
import { parseNetworkdLinkState, type NetworkdLinkState } from '../core/bridge-to-lan/networkd-files';

/** networkd's state files, one per link it knows, named by ifindex */
export const NETWORKD_LINKS_DIR = '/run/systemd/netif/links';

/** Whether systemd-networkd configures the link; false when networkd does not run (no state file). */
export async function readNetworkdLink(ifindex: number, dir: string = NETWORKD_LINKS_DIR): Promise<NetworkdLinkState> {
  const text = await readFile(`${dir}/${ifindex}`, 'utf8').catch(() => undefined);
  return text === undefined ? { managed: false, dns: [] } : parseNetworkdLinkState(text);
}
