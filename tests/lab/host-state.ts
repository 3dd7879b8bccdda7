import type { Lab } from './lab';

/**
 * Everything a KVMNet change can touch inside a lab, normalised so that two reads of an unchanged
 * host are deep-equal: links (without counters and indexes), addresses, routes, the nft ruleset,
 * the forwarding sysctls and the files under /etc/kvmnet and /var/lib/kvmnet.
 */
export interface HostState {
  links: unknown[];
  addresses: unknown[];
  routes: unknown[];
  nftables: string;
  sysctls: Record<string, string>;
  files: string;
}

interface IpLink {
  ifname: string; link_type?: string; flags?: string[]; mtu?: number; master?: string; ifalias?: string; address?: string;
  linkinfo?: { info_kind?: string; info_data?: { user?: number; stp_state?: number } };
}

export async function readHostState(lab: Lab): Promise<HostState> {
  const links = (JSON.parse(await lab.sh('ip', ['-j', '-d', 'link', 'show'])) as IpLink[]).map((l) => ({
    name: l.ifname,
    kind: l.linkinfo?.info_kind ?? l.link_type,
    flags: [...(l.flags ?? [])].sort(),
    mtu: l.mtu,
    master: l.master,
    alias: l.ifalias,
    address: l.address,
    tapUser: l.linkinfo?.info_data?.user,
  })).sort((a, b) => a.name.localeCompare(b.name)); // a link recreated by a rollback gets a new index
  const addresses = (JSON.parse(await lab.sh('ip', ['-j', 'addr', 'show'])) as { ifname: string; addr_info: { local: string; prefixlen: number; family: string }[] }[])
    .flatMap((l) => l.addr_info.map((a) => `${l.ifname} ${a.family} ${a.local}/${a.prefixlen}`))
    .sort();
  const routes = (JSON.parse(await lab.sh('ip', ['-j', 'route', 'show', 'table', 'all'])) as Record<string, unknown>[])
    .map((r) => JSON.stringify(r))
    .sort();
  const nft = await lab.run('nft', ['list', 'ruleset']);
  const sysctls: Record<string, string> = {};
  const keys = (await lab.sh('sh', ['-c', 'ls -d /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv4/conf/*/forwarding /proc/sys/net/ipv4/conf/*/proxy_arp 2>/dev/null'])).split('\n').filter(Boolean);
  for (const k of keys) sysctls[k] = (await lab.sh('cat', [k])).trim();
  const files = (await lab.run('sh', ['-c', 'cd / && find etc/kvmnet var/lib/kvmnet -type f -exec sha256sum {} + 2>/dev/null | sort'])).stdout;
  return { links, addresses, routes, nftables: nft.exitCode === 0 ? nft.stdout : `unavailable: ${nft.stderr}`, sysctls, files };
}
