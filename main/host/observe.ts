import { hostname } from 'node:os';
import { HostSnapshot, type Link, type Route } from '../core/host-snapshot';
import { readCommand } from './host-command';
import { IpLinkEntry, IpRouteEntry, parseIpJson } from './iproute2-json';
import { readLocalUids } from './local-users';
import { parseLinks, sysfsWants } from './parse-links';
import { parseRoutes } from './parse-routes';
import type { ParsedLibvirtNetwork } from '../core/render/libvirt-network-xml';
import { readLibvirtWithDefinitions } from './read-libvirt';
import { readNeededSysfsFacts } from './sysfs-facts';

const IP_TIMEOUT_MS = 5000;

/**
 * Every link with its addresses and counters, without routes or libvirt: the cheap read the helper
 * uses to check ownership. One `ip -d -s addr` dump gives details, addresses and counters at once,
 * so they always describe the same moment.
 */
export async function readHostLinks(): Promise<Link[]> {
  const args = ['-j', '-d', '-s', 'addr', 'show'];
  const [text, uids] = await Promise.all([readCommand('ip', args, IP_TIMEOUT_MS), readLocalUids()]);
  const entries = parseIpJson(IpLinkEntry, text, `ip ${args.join(' ')}`);
  return parseLinks(entries, await readNeededSysfsFacts(new Map(entries.map((e) => [e.ifname, sysfsWants(e, uids)]))), uids);
}

async function readRoutes(family: Route['family']): Promise<Route[]> {
  const args = [family === 'inet' ? '-4' : '-6', '-j', 'route', 'show'];
  return parseRoutes(parseIpJson(IpRouteEntry, await readCommand('ip', args, IP_TIMEOUT_MS), `ip ${args.join(' ')}`), family);
}

/** One read of the whole host, the reads running side by side, with the libvirt networks' definitions read on the way. */
export async function observeHostWithDefinitions(): Promise<{ snapshot: HostSnapshot; definitions: ParsedLibvirtNetwork[] }> {
  // when the read began: all it says is at least this recent, so "taken after a change" is a safe test
  const takenAt = new Date().toISOString();
  const [links, inet, inet6, libvirt] = await Promise.all([readHostLinks(), readRoutes('inet'), readRoutes('inet6'), readLibvirtWithDefinitions()]);
  const snapshot = HostSnapshot.parse({ takenAt, hostname: hostname(), links, routes: [...inet, ...inet6], libvirt: libvirt.state });
  return { snapshot, definitions: libvirt.definitions };
}

export const observeHost = async (): Promise<HostSnapshot> => (await observeHostWithDefinitions()).snapshot;
