import { z } from 'zod';
import { addressWords, routeWords, UplinkAddressing, type MovedAddress, type MovedRoute } from '../core/bridge-to-lan/uplink-addressing';
import { ownerAlias } from '../core/names';
import type { HostIo } from './host-io';
import { ipLine } from './ip-line';
import { ownerNetwork } from './link-facts';

/**
 * The runtime bridge, without NetworkManager or networkd: the uplink's MAC, addresses and routes
 * move to a new bridge and the uplink becomes its port, or the other way round. Each direction is
 * written as "make the host look like this", read against the host first, so a rollback replayed
 * after a crash changes only what still differs.
 */

const FOREVER = 4294967295;

const IpAddr = z.array(z.looseObject({
  ifname: z.string(),
  address: z.string().optional(),
  mtu: z.number(),
  master: z.string().optional(),
  addr_info: z.array(z.looseObject({
    family: z.string(), local: z.string(), prefixlen: z.number(), scope: z.string(),
    valid_life_time: z.number().optional(), preferred_life_time: z.number().optional(),
  })).default([]),
}));

const IpRoute = z.array(z.looseObject({
  dst: z.string(),
  gateway: z.string().optional(),
  metric: z.number().optional(),
  protocol: z.string().optional(),
  scope: z.string().optional(),
  prefsrc: z.string().optional(),
  type: z.string().optional(),
}));

async function ipJson(io: Pick<HostIo, 'runTool'>, args: readonly string[]): Promise<unknown> {
  const r = await io.runTool('ip', ['-j', ...args]);
  if (r.exitCode !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout || '[]');
}

const lifetime = (seconds: number | undefined): MovedAddress['validLft'] => (seconds === undefined || seconds >= FOREVER ? 'forever' : seconds);

/** routes the kernel makes by itself (prefix routes of addresses, IPv6 link-local and multicast) come back with the addresses */
function movable(route: z.infer<typeof IpRoute>[number]): boolean {
  if (route.protocol === 'kernel') return false;
  if (route.type !== undefined && route.type !== 'unicast') return false;
  return !route.dst.startsWith('fe80:') && !route.dst.startsWith('ff00:');
}

function toMovedRoute(family: 'inet' | 'inet6', route: z.infer<typeof IpRoute>[number]): MovedRoute {
  const dst = route.dst === 'default' || route.dst.includes('/') ? route.dst : `${route.dst}/${family === 'inet' ? 32 : 128}`;
  const scope = route.scope === 'link' || route.scope === 'host' ? route.scope : undefined;
  return {
    family, dst,
    ...(route.gateway ? { gateway: route.gateway } : {}),
    ...(route.metric === undefined ? {} : { metric: route.metric }),
    ...(route.protocol && /^[a-z0-9]{1,16}$/.test(route.protocol) ? { protocol: route.protocol } : {}),
    ...(scope ? { scope } : {}),
    ...(route.prefsrc ? { src: route.prefsrc } : {}),
  };
}

/** What `dev` carries now, described as the uplink's addressing (the MAC and MTU are read from `dev` too). */
export async function readAddressing(io: Pick<HostIo, 'runTool'>, dev: string, uplink: string): Promise<UplinkAddressing> {
  const [link] = IpAddr.parse(await ipJson(io, ['addr', 'show', 'dev', dev]));
  if (!link) throw new Error(`${dev} does not exist`);
  const addresses = link.addr_info
    .filter((a) => a.scope === 'global' && (a.family === 'inet' || a.family === 'inet6'))
    .map((a) => ({ cidr: `${a.local}/${a.prefixlen}`, validLft: lifetime(a.valid_life_time), preferredLft: lifetime(a.preferred_life_time) }));
  const routes: MovedRoute[] = [];
  for (const family of ['inet', 'inet6'] as const) {
    const found = IpRoute.parse(await ipJson(io, [family === 'inet' ? '-4' : '-6', 'route', 'show', 'dev', dev]));
    routes.push(...found.filter(movable).map((r) => toMovedRoute(family, r)));
  }
  return UplinkAddressing.parse({ uplink, mac: (link.address ?? '').toLowerCase(), mtu: link.mtu, addresses, routes });
}

export interface Placement {
  network: string;
  bridge: string;
  /** where the addressing must end up */
  on: 'bridge' | 'uplink';
  addressing: UplinkAddressing;
}

/** IPv6 addresses moved between links were in use a moment ago: no duplicate address detection, so routes via them work at once */
const moveWords = (address: MovedAddress, dev: string): string[] =>
  [...addressWords(address, dev), ...(address.cidr.includes(':') ? ['nodad'] : [])];

/**
 * The `ip -batch` lines that make the placement hold on the host as read. Refuses (throws) to
 * touch a bridge of that name that is not this network's.
 */
export async function placementLines(io: HostIo, placement: Placement): Promise<string[]> {
  const { bridge, addressing, network } = placement;
  const { uplink } = addressing;
  const links = await io.readLinks();
  const nic = links.get(uplink);
  if (!nic) throw new Error(`the uplink ${uplink} is gone`);
  const br = links.get(bridge);
  if (br && ownerNetwork(br) !== network) throw new Error(`${bridge} exists and is not the bridge of KVMNet network ${network}; it is left alone`);
  const lines: string[] = [];
  const other = placement.on === 'bridge' ? uplink : bridge;
  const target = placement.on === 'bridge' ? bridge : uplink;
  const otherLink = placement.on === 'bridge' ? nic : br;
  if (placement.on === 'bridge') {
    if (!br) {
      lines.push(
        ipLine('link', 'add', 'name', bridge, 'address', addressing.mac, 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0'),
        ipLine('link', 'set', 'dev', bridge, 'alias', ownerAlias(network)),
      );
    } else if (br.mac !== addressing.mac) lines.push(ipLine('link', 'set', 'dev', bridge, 'address', addressing.mac));
    lines.push(ipLine('link', 'set', 'dev', bridge, 'mtu', String(addressing.mtu)));
    if (nic.master !== bridge) lines.push(ipLine('link', 'set', 'dev', uplink, 'master', bridge));
  } else if (nic.master === bridge) lines.push(ipLine('link', 'set', 'dev', uplink, 'nomaster'));
  // the addresses leave the other link first: the same address on two links answers ARP twice
  for (const address of addressing.addresses) {
    if (otherLink?.addresses.some((a) => a.cidr === address.cidr)) lines.push(ipLine('address', 'del', address.cidr, 'dev', other));
  }
  if (placement.on === 'uplink') {
    if (br) lines.push(ipLine('link', 'delete', 'dev', bridge));
    if (nic.mac !== addressing.mac) lines.push(ipLine('link', 'set', 'dev', uplink, 'address', addressing.mac));
    if (nic.mtu !== addressing.mtu) lines.push(ipLine('link', 'set', 'dev', uplink, 'mtu', String(addressing.mtu)));
  }
  lines.push(ipLine('link', 'set', 'dev', uplink, 'up'), ipLine('link', 'set', 'dev', target, 'up'));
  for (const address of addressing.addresses) lines.push(ipLine(...moveWords(address, target)));
  for (const route of addressing.routes) lines.push(ipLine(...routeWords(route, target)));
  return lines;
}

export async function ensurePlacement(io: HostIo, placement: Placement): Promise<void> {
  const lines = await placementLines(io, placement);
  const outcome = await io.runIpBatch(lines);
  if (!outcome.ok) throw new Error(`could not put the addressing of ${placement.addressing.uplink} on ${placement.on === 'bridge' ? placement.bridge : placement.addressing.uplink}: ${outcome.message}`);
}
