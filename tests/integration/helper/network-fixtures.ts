import { readdir, readFile, readlink } from 'node:fs/promises';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import type { Lab } from '../../lab/lab';

/** A direct NAT network as the wizard makes it, with DHCP and a domain. */
export const natSpec: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvlab0',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' },
  domain: 'lab.internal', autostart: true,
};

export const hostonlySpec: NetworkSpec = {
  name: 'ho', kind: 'hostonly', backend: 'direct', bridge: 'kvho0',
  ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.1' }, dhcp: { start: '10.81.0.100', end: '10.81.0.199' },
  ipv6: { subnet: 'fd81::/64', gateway: 'fd81::1', dhcp: null }, autostart: false,
};

export const libvirtSpec: NetworkSpec = {
  name: 'lvnat', kind: 'nat', backend: 'libvirt', bridge: 'kvlv0',
  ipv4: { subnet: '10.82.0.0/24', gateway: '10.82.0.1' }, dhcp: { start: '10.82.0.128', end: '10.82.0.254' }, autostart: true,
};

/** the running part of a direct network, in the planner's order (main/core/plan/direct-network.ts) */
export const directUpSteps = (spec: NetworkSpec): Record<string, unknown>[] => [
  { op: 'link.add', kind: 'bridge', name: spec.bridge, network: spec.name, stp: false },
  { op: 'addr.add', dev: spec.bridge, address: `${spec.ipv4!.gateway}/${spec.ipv4!.subnet.split('/')[1]}` },
  { op: 'link.setState', name: spec.bridge, up: true },
  { op: 'nft.network', network: spec.name, spec },
  ...(spec.kind === 'nat' || spec.kind === 'routed' ? [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }] : []),
  { op: 'dnsmasq.start', spec },
];

/** creating a direct network: its running part, its record, then the boot unit */
export const directCreatePlan = (spec: NetworkSpec): Record<string, unknown>[] => [
  ...directUpSteps(spec),
  { op: 'record.write', record: { version: 1, spec, ...(spec.kind === 'nat' ? { ipForwardBefore: '0' } : {}) } },
  { op: 'boot.unit', enabled: true },
];

export const libvirtCreatePlan = (spec: NetworkSpec): Record<string, unknown>[] => [
  { op: 'libvirt.define', spec },
  { op: 'libvirt.autostart', network: spec.name, enabled: true },
  { op: 'libvirt.start', network: spec.name },
];

/** another program's firewall, which KVMNet must never touch */
export async function addForeignFirewall(lab: Lab): Promise<void> {
  await lab.sh('nft', ['-f', '-'], {
    input: 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 accept\n\t}\n}\n',
  });
}

/**
 * Asks the bridge's DHCP server for a lease from a "guest": a network namespace inside the lab
 * on a veth port of the bridge, running busybox's udhcpc. Returns the address offered.
 */
export async function leaseFrom(lab: Lab, bridge: string, guest = 'guest'): Promise<string> {
  await lab.sh('ip', ['netns', 'add', guest]);
  await lab.sh('ip', ['link', 'add', `${guest}-h`, 'type', 'veth', 'peer', 'name', `${guest}-g`]);
  await lab.sh('ip', ['link', 'set', `${guest}-g`, 'netns', guest]);
  await lab.sh('ip', ['link', 'set', `${guest}-h`, 'master', bridge, 'up']);
  await lab.sh('ip', ['-n', guest, 'link', 'set', `${guest}-g`, 'up']);
  const r = await lab.run('ip', ['netns', 'exec', guest, 'busybox', 'udhcpc', '-i', `${guest}-g`, '-n', '-q', '-f', '-t', '5', '-T', '1', '-s', '/bin/true']);
  const out = `${r.stdout}\n${r.stderr}`;
  const lease = /lease of ([0-9.]+) obtained/.exec(out);
  if (!lease) throw new Error(`no DHCP lease on ${bridge}: ${out}`);
  return lease[1]!;
}

/** host pids of the daemons (dnsmasq, libvirtd) running inside the lab's PID namespace, to check none outlives it */
export async function daemonsOf(lab: Lab): Promise<number[]> {
  const labNamespace = await readlink(`/proc/${lab.pid}/ns/pid`);
  const pids: number[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if ((comm === 'dnsmasq' || comm === 'libvirtd') && (await readlink(`/proc/${pid}/ns/pid`).catch(() => '')) === labNamespace) pids.push(Number(pid));
  }
  return pids;
}

/** waits a moment for each pid to be gone; resolves with those still running */
export async function survivors(pids: readonly number[]): Promise<number[]> {
  for (let i = 0; i < 50 && (await Promise.all(pids.map(alive))).some(Boolean); i++) await new Promise((r) => setTimeout(r, 20));
  const left: number[] = [];
  for (const pid of pids) if (await alive(pid)) left.push(pid);
  return left;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/\) Z /.test(stat);
}
