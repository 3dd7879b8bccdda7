import { access } from 'node:fs/promises';
import type { HostSnapshot, LibvirtDomain, LibvirtNetwork } from '../core/host-snapshot';
import { parseLibvirtNetworkXml, type ParsedLibvirtNetwork } from '../core/render/libvirt-network-xml';
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

/** the definition comes from the same dumpxml; a network KVMNet cannot model has none (it is listed all the same) */
const readNetwork = async (name: string): Promise<{ network: LibvirtNetwork; definition?: ParsedLibvirtNetwork }> => {
  const [info, xml] = await Promise.all([virsh(['net-info', name]), virsh(['net-dumpxml', name])]);
  const network = parseNetworkXml(xml, parseNetInfo(info));
  try {
    return { network, definition: parseLibvirtNetworkXml(xml) };
  } catch {
    return { network };
  }
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

export interface LibvirtRead {
  state: LibvirtState;
  /** every network's definition, for its addresses (the snapshot has only names, state and bridges) */
  definitions: ParsedLibvirtNetwork[];
}

/**
 * Networks and domains from libvirtd, and the networks' definitions from the same reads; never
 * throws: an unreachable libvirt is a state, not an error. The two lists are asked for side by
 * side (each virsh is mostly a connection to libvirtd), the domain list no longer than the probe.
 */
export async function readLibvirtWithDefinitions(): Promise<LibvirtRead> {
  const noSocket = await missingSocketReason();
  if (noSocket) return { state: { available: false, reason: noSocket, networks: [], domains: [] }, definitions: [] };
  const domainNames = virsh(['list', '--all', '--name'], LIBVIRT_PROBE_TIMEOUT_MS).then(parseVirshNames, () => []);
  let networkNames: string[];
  try {
    networkNames = parseVirshNames(await virsh(['net-list', '--all', '--name'], LIBVIRT_PROBE_TIMEOUT_MS));
  } catch (e) {
    const reason = explainVirshFailure(e as VirshFailure, LIBVIRT_PROBE_TIMEOUT_MS);
    return { state: { available: false, reason, networks: [], domains: [] }, definitions: [] };
  }
  const [networks, domains] = await Promise.all([readEach(networkNames, readNetwork), domainNames.then((names) => readEach(names, readDomain))]);
  return {
    state: { available: true, networks: networks.map((n) => n.network), domains },
    definitions: networks.flatMap((n) => (n.definition ? [n.definition] : [])),
  };
}

export const readLibvirt = async (): Promise<LibvirtState> => (await readLibvirtWithDefinitions()).state;
