import type { HostSnapshot, LibvirtDomain, LibvirtNetwork } from '../core/host-snapshot';
import { readCommand } from './host-command';
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

/** Networks and domains from libvirtd; never throws: an unreachable libvirt is a state, not an error. */
export async function readLibvirt(): Promise<LibvirtState> {
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
