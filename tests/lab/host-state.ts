import { createHash } from 'node:crypto';
import type { Lab } from './lab';

/**
 * Everything a KVMNet change can touch inside a lab, normalised so that two reads of an unchanged
 * host are deep-equal: links (without counters and indexes), addresses, routes, the nft ruleset,
 * the forwarding sysctls, the files under /etc/kvmnet and /var/lib/kvmnet, the runtime files under
 * /run/kvmnet (pid files by name only: a restarted daemon has a new pid), the running dnsmasq
 * processes (by command line), KVMNet's systemd unit files, and libvirt's networks and domains
 * when libvirtd runs in the lab.
 */
export interface HostState {
  links: unknown[];
  addresses: unknown[];
  routes: unknown[];
  nftables: string;
  sysctls: Record<string, string>;
  files: string;
  runFiles: string;
  dnsmasq: string[];
  systemd: string;
  libvirtNetworks: LibvirtNetworkState[] | 'libvirtd is not running in this lab';
  /** name, state and sha256 of `dumpxml --inactive` of every domain: a NIC added or left behind shows */
  libvirtDomains: string[] | 'libvirtd is not running in this lab';
}

export interface LibvirtNetworkState {
  name: string;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  /** sha256 of `net-dumpxml --inactive`: a redefinition shows */
  definition: string;
}

interface IpLink {
  ifname: string; link_type?: string; flags?: string[]; mtu?: number; master?: string; ifalias?: string; address?: string;
  linkinfo?: { info_kind?: string; info_data?: { user?: number; stp_state?: number } };
}

export async function readHostState(lab: Lab): Promise<HostState> {
  // independent reads, side by side: a state is read many times per test
  const [ipLinks, ipAddresses, ipRoutes, nft, sysctlLines, files, runFiles, systemd, dnsmasq, libvirt, domains] = await Promise.all([
    lab.sh('ip', ['-j', '-d', 'link', 'show']),
    lab.sh('ip', ['-j', 'addr', 'show']),
    lab.sh('ip', ['-j', 'route', 'show', 'table', 'all']),
    lab.run('nft', ['list', 'ruleset']),
    // one read for every key: `grep -H` prints path:value
    lab.sh('sh', ['-c', 'grep -H "" /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv4/conf/*/forwarding /proc/sys/net/ipv4/conf/*/proxy_arp 2>/dev/null; true']),
    lab.run('sh', ['-c', 'cd / && find etc/kvmnet var/lib/kvmnet -type f -exec sha256sum {} + 2>/dev/null | sort']).then((r) => r.stdout),
    lab.run('sh', ['-c', 'cd / && { find run/kvmnet -type f ! -name "*.pid" -exec sha256sum {} + ; find run/kvmnet -type f -name "*.pid"; } 2>/dev/null | sort']).then((r) => r.stdout),
    lab.run('sh', ['-c', "cd / && { find etc/systemd/system -name 'kvmnet-*' -type f -exec sha256sum {} + ; find etc/systemd/system -name 'kvmnet-*' -type l -printf '%p -> %l\\n'; } 2>/dev/null | sort"]).then((r) => r.stdout),
    dnsmasqCommandLines(lab),
    libvirtNetworks(lab),
    libvirtDomains(lab),
  ]);
  const links = (JSON.parse(ipLinks) as IpLink[]).map((l) => ({
    name: l.ifname,
    kind: l.linkinfo?.info_kind ?? l.link_type,
    flags: [...(l.flags ?? [])].sort(),
    mtu: l.mtu,
    master: l.master,
    alias: l.ifalias,
    address: l.address,
    tapUser: l.linkinfo?.info_data?.user,
  })).sort((a, b) => a.name.localeCompare(b.name)); // a link recreated by a rollback gets a new index
  const addresses = (JSON.parse(ipAddresses) as { ifname: string; addr_info: { local: string; prefixlen: number; family: string }[] }[])
    .flatMap((l) => l.addr_info.map((a) => `${l.ifname} ${a.family} ${a.local}/${a.prefixlen}`))
    .sort();
  const routes = (JSON.parse(ipRoutes) as Record<string, unknown>[])
    .map((r) => JSON.stringify(r))
    .sort();
  const sysctls: Record<string, string> = {};
  for (const line of sysctlLines.split('\n').filter(Boolean).sort()) {
    const colon = line.indexOf(':');
    sysctls[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  // counters move with any packet (libvirt's rules count the bridge's own multicast): only the rules matter
  const nftables = nft.exitCode === 0 ? nft.stdout.replace(/counter packets \d+ bytes \d+/g, 'counter') : `unavailable: ${nft.stderr}`;
  return { links, addresses, routes, nftables, sysctls, files, runFiles, dnsmasq, systemd, libvirtNetworks: libvirt, libvirtDomains: domains };
}

/** every dnsmasq running in the lab, whoever started it, by command line */
async function dnsmasqCommandLines(lab: Lab): Promise<string[]> {
  const ps = await lab.sh('ps', ['-e', '-o', 'comm=', '-o', 'args=']);
  return ps.split('\n').filter((l) => l.startsWith('dnsmasq ')).map((l) => l.slice('dnsmasq'.length).trim()).sort();
}

/** only a libvirtd started in the lab (tests/lab/libvirtd.ts writes this pid file) is asked */
async function libvirtNetworks(lab: Lab): Promise<HostState['libvirtNetworks']> {
  if ((await lab.run('test', ['-e', '/run/libvirt/lab.pid'])).exitCode !== 0) return 'libvirtd is not running in this lab';
  const virsh = (...args: string[]) => lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });
  const names = (await virsh('net-list', '--all', '--name')).split('\n').map((n) => n.trim()).filter(Boolean).sort();
  return Promise.all(names.map(async (name) => {
    const [netInfo, xml] = await Promise.all([virsh('net-info', name), virsh('net-dumpxml', '--inactive', name)]);
    const info = new Map(netInfo.split('\n').map((l) => l.split(':').map((p) => p.trim()) as [string, string]));
    const definition = createHash('sha256').update(xml).digest('hex');
    return { name, active: info.get('Active') === 'yes', autostart: info.get('Autostart') === 'yes', persistent: info.get('Persistent') === 'yes', definition };
  }));
}

async function libvirtDomains(lab: Lab): Promise<HostState['libvirtDomains']> {
  if ((await lab.run('test', ['-e', '/run/libvirt/lab.pid'])).exitCode !== 0) return 'libvirtd is not running in this lab';
  const virsh = (...args: string[]) => lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });
  const names = (await virsh('list', '--all', '--name')).split('\n').map((n) => n.trim()).filter(Boolean).sort();
  return Promise.all(names.map(async (name) => {
    const [state, xml] = await Promise.all([virsh('domstate', name), virsh('dumpxml', '--inactive', name)]);
    return `${name} ${state.trim()} ${createHash('sha256').update(xml).digest('hex')}`;
  }));
}
