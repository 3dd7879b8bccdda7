import { access } from 'node:fs/promises';
import type { HostSnapshot, LibvirtDomain, LibvirtNetwork } from '../core/host-snapshot';
import { HOST_COMMAND_ENV, readCommand } from './host-command';
import { parseDomainXml } from './parse-libvirt-domain';
import { parseNetInfo, parseNetworkXml } from './parse-libvirt-network';
import { parseVirshNames } from './parse-virsh-names';
import { explainVirshFailure, type VirshFailure } from './virsh-failure';

type LibvirtState = HostSnapshot['libvirt'];

export const LIBVIRT_URI = 'qemu:///system';
/** the first contact decides availability; a hung libvirtd must not stall the snapshot */
export const LIBVIRT_PROBE_TIMEOUT_MS = 2000;
const LIBVIRT_READ_TIMEOUT_MS = 5000;

export const virshArgs = (args: readonly string[]): string[] => ['-c', LIBVIRT_URI, ...args];
const virsh = (args: readonly string[], timeoutMs = LIBVIRT_READ_TIMEOUT_MS): Promise<string> => readCommand('virsh', virshArgs(args), timeoutMs);

/** a network or domain undefined between the list and its dumpxml is simply gone: keep the others */
async function readEach<T>(names: readonly string[], read: (name: string) => Promise<T>): Promise<T[]> {
  const results = await Promise.allSettled(names.map(read));
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

const readNetwork = async (name: string): Promise<LibvirtNetwork> => {
  const [info, xml] = await Promise.all([virsh(['net-info', name]), virsh(['net-dumpxml', name])]);
  return parseNetworkXml(xml, parseNetInfo(info));
};

const readDomain = async (name: string): Promise<LibvirtDomain> => {
  const [state, xml] = await Promise.all([virsh(['domstate', name]), virsh(['dumpxml', name])]);
  return parseDomainXml(xml, state);
};

/**
 * qemu:///system is a UNIX socket: the monolithic libvirtd's or the modular QEMU daemon's (with
 * socket activation the file exists before the daemon runs). With virsh installed but neither
 * socket there, virsh could only fail the way the reason says: not starting it spares a process
 * per snapshot on hosts without libvirt (each burst of netlink events takes a snapshot).
 */
const SYSTEM_SOCKETS = ['/var/run/libvirt/libvirt-sock', '/var/run/libvirt/virtqemud-sock'];
const exists = (path: string) => access(path).then(() => true, () => false);

async function missingSocketReason(): Promise<string | undefined> {
  const virshInstalled = (await Promise.all(HOST_COMMAND_ENV.PATH.split(':').map((dir) => exists(`${dir}/virsh`)))).some(Boolean);
  if (!virshInstalled) return undefined;
  if ((await Promise.all(SYSTEM_SOCKETS.map(exists))).some(Boolean)) return undefined;
  return `libvirtd is not running (no socket at ${SYSTEM_SOCKETS[0]})`;
}

/** Networks and domains from libvirtd; never throws: an unreachable libvirt is a state, not an error. */
export async function readLibvirt(): Promise<LibvirtState> {
  const noSocket = await missingSocketReason();
  if (noSocket) return { available: false, reason: noSocket, networks: [], domains: [] };
  let networkNames: string[];
  try {
    networkNames = parseVirshNames(await virsh(['net-list', '--all', '--name'], LIBVIRT_PROBE_TIMEOUT_MS));
  } catch (e) {
    const reason = explainVirshFailure(e as VirshFailure, LIBVIRT_PROBE_TIMEOUT_MS);
    return { available: false, reason, networks: [], domains: [] };
  }
  const domainNames = virsh(['list', '--all', '--name']).then(parseVirshNames, () => []);
  const [networks, domains] = await Promise.all([readEach(networkNames, readNetwork), domainNames.then((names) => readEach(names, readDomain))]);
  return { available: true, networks, domains };
}
