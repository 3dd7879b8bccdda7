import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import type { FieldIssue } from '../core/network/field-issue';
import type { NetworkSpec } from '../core/network/network-spec';
import { leasesPath } from '../core/paths';
import { HOST_COMMAND_ENV } from '../host/host-command';
import { parseDnsmasqLeaseFile, parseVirshDhcpLeases, type DhcpLease } from '../host/parse-dhcp-leases';
import { virshArgs } from '../host/read-libvirt';
import type { HostNetworkState } from './host-network-state';
import { readUpdateTarget } from './network-target';

/** The DHCP leases a network's dnsmasq handed out: its lease file (direct), or libvirt's word for it. */
export async function readNetworkLeases(spec: NetworkSpec): Promise<DhcpLease[]> {
  if (spec.backend === 'direct') {
    const text = await readFile(leasesPath(spec.name), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
    return parseDnsmasqLeaseFile(text);
  }
  // virsh prints expiry times in the local time zone: asked in UTC, they carry no ambiguity
  const r = await execa('virsh', virshArgs(['net-dhcp-leases', spec.name]), { env: { ...HOST_COMMAND_ENV, TZ: 'UTC' }, extendEnv: false, stdin: 'ignore', timeout: 5000 });
  return parseVirshDhcpLeases(r.stdout);
}

export async function listLeases(state: HostNetworkState, network: string): Promise<{ ok: false; issues: FieldIssue[] } | { ok: true; network: NetworkSpec; leases: DhcpLease[] }> {
  const found = await readUpdateTarget(state, network);
  if (!found.ok) return found;
  const { current, active } = found.target;
  return { ok: true, network: current, leases: active && current.dhcp ? await readNetworkLeases(current) : [] };
}
