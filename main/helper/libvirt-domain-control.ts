import type { LibvirtDomain } from '../core/host-snapshot';
import type { NicSource } from '../core/attach/nic-source';
import { normalizeMac } from '../core/attach/mac';
import { parseDomainXml } from '../host/parse-libvirt-domain';
import { LIBVIRT_URI } from '../host/read-libvirt';
import type { HostIo } from './host-io';

/**
 * The helper's only contact with libvirt domains: reading a domain's NICs and adding or removing
 * one NIC by its MAC, on the domain's configuration and, while it runs, on the running guest.
 */
export type DomainNic = LibvirtDomain['interfaces'][number];

export interface DomainNics {
  /** running (or paused): a NIC can be hot-plugged and must be, or the guest would not see it until it restarts */
  active: boolean;
  /** the persistent definition, what the next start uses */
  config: DomainNic[];
  /** the running guest's devices; empty while it is shut off */
  live: DomainNic[];
}

async function virsh(io: HostIo, args: readonly string[]): Promise<string> {
  const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, ...args]);
  if (r.exitCode === 0) return r.stdout;
  const message = r.stderr.split('\n').map((l) => l.replace(/^error:\s*/, '').trim()).filter(Boolean).join(': ');
  throw new Error(`libvirt refused ${args[0]}: ${message || `virsh exited with ${r.exitCode}`}`);
}

/** throws naming the domain when libvirt has none of that name */
export async function readDomainNics(io: HostIo, domain: string): Promise<DomainNics> {
  const id = (await virsh(io, ['domid', domain])).trim();
  const active = id !== '-' && id !== '';
  const config = parseDomainXml(await virsh(io, ['dumpxml', '--inactive', domain]), '').interfaces;
  const live = active ? parseDomainXml(await virsh(io, ['dumpxml', domain]), '').interfaces : [];
  return { active, config, live };
}

export const nicWithMac = (nics: readonly DomainNic[], mac: string): DomainNic | undefined =>
  nics.find((n) => n.mac !== undefined && normalizeMac(n.mac) === mac);

/** the same test the app and the CLI use to list a network's NICs */
export { pluggedInto } from '../core/attach/domain-nics';

export interface NicPlacement {
  config: boolean;
  live: boolean;
}

const placementFlags = (where: NicPlacement): string[] => [...(where.config ? ['--config'] : []), ...(where.live ? ['--live'] : [])];

export async function attachNic(io: HostIo, domain: string, nic: { source: NicSource; mac: string; model?: string | undefined }, where: NicPlacement): Promise<void> {
  const source = nic.source.type === 'network' ? nic.source.network : nic.source.bridge;
  await virsh(io, [
    'attach-interface', '--domain', domain, '--type', nic.source.type, '--source', source, '--mac', nic.mac,
    ...(nic.model === undefined ? [] : ['--model', nic.model]), ...placementFlags(where),
  ]);
}

export async function detachNic(io: HostIo, domain: string, type: string, mac: string, where: NicPlacement): Promise<void> {
  await virsh(io, ['detach-interface', '--domain', domain, '--type', type, '--mac', mac, ...placementFlags(where)]);
}
