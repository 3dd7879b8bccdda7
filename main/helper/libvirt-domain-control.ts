import type { LibvirtDomain } from '../core/host-snapshot';
import type { NicSource } from '../core/attach/nic-source';
import { normalizeMac } from '../core/attach/mac';
import { parseDomainXml } from '../host/parse-libvirt-domain';
import { LIBVIRT_URI } from '../host/read-libvirt';
import { RUN_DIR } from '../core/paths';
import { stagingPath, type HostIo } from './host-io';

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

export interface DomainXml {
  active: boolean;
  /** `virsh dumpxml --inactive` */
  config: string;
  /** `virsh dumpxml` of the running guest; undefined while it is shut off */
  live: string | undefined;
}

/** throws naming the domain when libvirt has none of that name */
export async function readDomainXml(io: HostIo, domain: string): Promise<DomainXml> {
  const id = (await virsh(io, ['domid', domain])).trim();
  const active = id !== '-' && id !== '';
  const config = await virsh(io, ['dumpxml', '--inactive', domain]);
  const live = active ? await virsh(io, ['dumpxml', domain]) : undefined;
  return { active, config, live };
}

export const domainNics = (xml: DomainXml): DomainNics => ({
  active: xml.active,
  config: parseDomainXml(xml.config, '').interfaces,
  live: xml.live === undefined ? [] : parseDomainXml(xml.live, '').interfaces,
});

export const readDomainNics = async (io: HostIo, domain: string): Promise<DomainNics> => domainNics(await readDomainXml(io, domain));

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

/**
 * Puts a NIC back from its own `<interface>` XML as libvirt had it (`virsh attach-device`, the XML
 * on stdin), into the configuration and the running guest where each lacks it, so that its PCI
 * address, boot order and everything else the user had on it come back too.
 */
export async function restoreNic(io: HostIo, domain: string, mac: string, xml: { config: string | null; live: string | null }): Promise<void> {
  const nics = await readDomainNics(io, domain);
  if (xml.config !== null && !nicWithMac(nics.config, mac)) await attachDevice(io, domain, xml.config, '--config');
  if (xml.live !== null && nics.active && !nicWithMac(nics.live, mac)) await attachDevice(io, domain, xml.live, '--live');
}

/** virsh reads a device from a file (its stdin here is a socket, which it cannot open): a private one under /run/kvmnet, removed at once */
export const nicXmlFile = (domain: string): string => `${RUN_DIR}/nic-${domain}.xml`;

async function attachDevice(io: HostIo, domain: string, xml: string, where: '--config' | '--live'): Promise<void> {
  const file = nicXmlFile(domain);
  await io.writeTextAtomic(file, xml, 0o600);
  try {
    await virsh(io, ['attach-device', domain, file, where]);
  } finally {
    await io.removeFile(file);
    await io.removeFile(stagingPath(file));
  }
}
