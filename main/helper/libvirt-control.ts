import { RUN_DIR } from '../core/paths';
import { parseLibvirtNetworkXml } from '../core/render/libvirt-network-xml';
import { parseNetInfo } from '../host/parse-libvirt-network';
import { LIBVIRT_URI } from '../host/read-libvirt';
import { stagingPath, type HostIo } from './host-io';

/** What the helper needs to know about one libvirt network to check ownership and undo a step. */
export interface LibvirtNetworkFacts {
  name: string;
  uuid?: string;
  /** carries KVMNet's metadata: the only networks the helper changes */
  managedByKvmnet: boolean;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  /** the bridge and IPv4 subnet of its definition: what KVMNet's port forwards into it may name */
  bridge?: string;
  subnet?: string;
  /** `net-dumpxml --inactive`: the definition a redefine or an undefine would lose */
  xml: string;
}

const NOT_FOUND = /Network not found|no network with matching name/;

async function virsh(io: HostIo, args: readonly string[]): Promise<{ ok: true; stdout: string } | { ok: false; message: string }> {
  const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, ...args]);
  if (r.exitCode === 0) return { ok: true, stdout: r.stdout };
  const message = r.stderr.split('\n').map((l) => l.replace(/^error:\s*/, '').trim()).filter(Boolean).join(': ');
  return { ok: false, message: message || `virsh ${args[0]} exited with ${r.exitCode}` };
}

async function virshOrThrow(io: HostIo, args: readonly string[]): Promise<string> {
  const r = await virsh(io, args);
  if (!r.ok) throw new Error(`libvirt refused ${args[0]}: ${r.message}`);
  return r.stdout;
}

/** undefined when libvirt has no network of that name; throws when libvirt cannot be asked */
export async function readLibvirtNetwork(io: HostIo, name: string): Promise<LibvirtNetworkFacts | undefined> {
  const info = await virsh(io, ['net-info', name]);
  if (!info.ok) {
    if (NOT_FOUND.test(info.message)) return undefined;
    throw new Error(`could not read libvirt network ${name}: ${info.message}`);
  }
  const xml = await virshOrThrow(io, ['net-dumpxml', '--inactive', name]);
  const parsed = parseLibvirtNetworkXml(xml);
  return {
    name,
    ...(parsed.uuid !== undefined && { uuid: parsed.uuid }),
    managedByKvmnet: parsed.managedByKvmnet,
    ...parseNetInfo(info.stdout),
    ...(parsed.bridge !== undefined && { bridge: parsed.bridge }),
    ...(parsed.ipv4 !== null && { subnet: parsed.ipv4.subnet }),
    xml,
  };
}

/** virsh reads a definition from a file: a private one under /run/kvmnet, removed at once (and by the undo, after a kill) */
export const definitionFile = (network: string): string => `${RUN_DIR}/libvirt-${network}.xml`;

export async function defineNetwork(io: HostIo, network: string, xml: string): Promise<void> {
  const file = definitionFile(network);
  await io.writeTextAtomic(file, xml, 0o600);
  try {
    await virshOrThrow(io, ['net-define', file]);
  } finally {
    await io.removeFile(file);
    await io.removeFile(stagingPath(file));
  }
}

export const undefineNetwork = (io: HostIo, name: string) => virshOrThrow(io, ['net-undefine', name]);
export const startNetwork = (io: HostIo, name: string) => virshOrThrow(io, ['net-start', name]);
export const stopNetwork = (io: HostIo, name: string) => virshOrThrow(io, ['net-destroy', name]);
export const setAutostart = (io: HostIo, name: string, enabled: boolean) =>
  virshOrThrow(io, ['net-autostart', name, ...(enabled ? [] : ['--disable'])]);
