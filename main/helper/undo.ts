import { z } from 'zod';
import { InterfaceName, NetworkName, ownerAlias } from '../core/names';
import { LowerCaseMac } from '../core/attach/mac';
import { canonicalCidr } from './cidr';
import { HostUndo, describeHostUndo } from './host-undo';
import type { LinkFacts, LinkMap } from './link-facts';
import { withLink, withLinks, withoutLinks } from './link-model';
import { ipLine } from './ip-line';
import { SysctlPath } from './sysctl-key';

/**
 * One restoring action of an inverse. Each says how a thing must END UP rather than what to run,
 * so an inverse can be replayed safely after a crash at any point: whatever already holds is left
 * alone. They are written to the journal and read back at recovery, hence a schema.
 */
const Cidr = z.string().refine((s) => canonicalCidr(s) === s, { message: 'not a canonical ADDRESS/PREFIX' });

export const Undo = z.discriminatedUnion('ensure', [
  /** delete the link if it is there with our alias or none (created, killed before the alias) */
  z.object({ ensure: z.literal('link.absent'), name: InterfaceName, network: NetworkName }).strict(),
  z.object({
    ensure: z.literal('link.present'),
    name: InterfaceName,
    kind: z.enum(['bridge', 'tap', 'veth']),
    mac: LowerCaseMac.optional(),
    stp: z.boolean().optional(),
    forwardDelay: z.number().int().min(0).max(3000).optional(),
    user: z.number().int().min(0).optional(),
    peer: InterfaceName.optional(),
    peerMac: LowerCaseMac.optional(),
  }).strict(),
  z.object({ ensure: z.literal('link.alias'), name: InterfaceName, network: NetworkName }).strict(),
  z.object({ ensure: z.literal('link.mtu'), name: InterfaceName, mtu: z.number().int().min(68).max(65535) }).strict(),
  z.object({ ensure: z.literal('link.mac'), name: InterfaceName, mac: LowerCaseMac }).strict(),
  z.object({ ensure: z.literal('link.master'), name: InterfaceName, master: InterfaceName.nullable() }).strict(),
  z.object({ ensure: z.literal('link.up'), name: InterfaceName, up: z.boolean() }).strict(),
  z.object({ ensure: z.literal('addr.present'), dev: InterfaceName, address: Cidr }).strict(),
  z.object({ ensure: z.literal('addr.absent'), dev: InterfaceName, address: Cidr }).strict(),
  z.object({ ensure: z.literal('sysctl'), path: SysctlPath, value: z.string().regex(/^-?[0-9]{1,10}$/) }).strict(),
  ...HostUndo.options,
]);
export type Undo = z.infer<typeof Undo>;
export type LinkUndo = Exclude<Undo, { ensure: 'sysctl' } | HostUndo>;

const HOST_UNDOS = new Set<string>(HostUndo.options.map((o) => o.shape.ensure.value));
export const isHostUndo = (undo: Undo): undo is HostUndo => HOST_UNDOS.has(undo.ensure);

export function describeUndo(undo: Undo): string {
  if (isHostUndo(undo)) return describeHostUndo(undo);
  switch (undo.ensure) {
    case 'link.absent': return `remove ${undo.name}`;
    case 'link.present': return `recreate ${undo.kind} ${undo.name}`;
    case 'link.alias': return `give ${undo.name} the alias ${ownerAlias(undo.network)}`;
    case 'link.mtu': return `set the MTU of ${undo.name} back to ${undo.mtu}`;
    case 'link.mac': return `set the MAC of ${undo.name} back to ${undo.mac}`;
    case 'link.master': return undo.master === null ? `detach ${undo.name} from its bridge` : `attach ${undo.name} to ${undo.master}`;
    case 'link.up': return `set ${undo.name} ${undo.up ? 'up' : 'down'}`;
    case 'addr.present': return `put ${undo.address} back on ${undo.dev}`;
    case 'addr.absent': return `remove ${undo.address} from ${undo.dev}`;
    case 'sysctl': return `set ${undo.path.replaceAll('/', '.')} back to ${undo.value}`;
  }
}

export type Reconciled = { lines: string[] } | { left: string };

/**
 * The `ip -batch` lines that make one link-level undo hold on the current host; none when it
 * already holds. Restoring an attribute of a link that is gone is a no-op: the link's own
 * existence is restored by link.present/link.absent, which carry everything needed.
 */
export function reconcile(undo: LinkUndo, links: LinkMap): Reconciled {
  const link = links.get('dev' in undo ? undo.dev : undo.name);
  switch (undo.ensure) {
    case 'link.absent':
      if (!link) return { lines: [] };
      if (link.alias === undefined || link.alias === ownerAlias(undo.network)) return { lines: [ipLine('link', 'delete', 'dev', undo.name)] };
      return { left: `${undo.name} was left in place: it now carries the alias "${link.alias}", which is not ours` };
    case 'link.present':
      return { lines: link ? [] : creationLines(undo) };
    case 'link.alias':
      return { lines: link && link.alias !== ownerAlias(undo.network) ? [ipLine('link', 'set', 'dev', undo.name, 'alias', ownerAlias(undo.network))] : [] };
    case 'link.mtu':
      return { lines: link && link.mtu !== undo.mtu ? [ipLine('link', 'set', 'dev', undo.name, 'mtu', String(undo.mtu))] : [] };
    case 'link.mac':
      return { lines: link && link.mac !== undo.mac ? [ipLine('link', 'set', 'dev', undo.name, 'address', undo.mac)] : [] };
    case 'link.master':
      if (!link || (link.master ?? null) === undo.master) return { lines: [] };
      if (undo.master === null) return { lines: [ipLine('link', 'set', 'dev', undo.name, 'nomaster')] };
      if (!links.has(undo.master)) return { left: `could not attach ${undo.name} to ${undo.master}: ${undo.master} is gone` };
      return { lines: [ipLine('link', 'set', 'dev', undo.name, 'master', undo.master)] };
    case 'link.up':
      return { lines: link && link.up !== undo.up ? [ipLine('link', 'set', 'dev', undo.name, undo.up ? 'up' : 'down')] : [] };
    case 'addr.present':
      return { lines: link && !link.addresses.some((a) => a.cidr === undo.address) ? [ipLine('address', 'add', undo.address, 'dev', undo.dev)] : [] };
    case 'addr.absent':
      return { lines: link && link.addresses.some((a) => a.cidr === undo.address) ? [ipLine('address', 'del', undo.address, 'dev', undo.dev)] : [] };
  }
}

function creationLines(undo: Extract<Undo, { ensure: 'link.present' }>): string[] {
  const mac = undo.mac ? ['address', undo.mac] : [];
  switch (undo.kind) {
    case 'bridge':
      return [ipLine('link', 'add', 'name', undo.name, ...mac, 'type', 'bridge',
        ...(undo.forwardDelay === undefined ? [] : ['forward_delay', String(undo.forwardDelay)]), ...(undo.stp ? ['stp_state', '1'] : []))];
    case 'tap':
      return [
        ipLine('tuntap', 'add', 'dev', undo.name, 'mode', 'tap', ...(undo.user !== undefined ? ['user', String(undo.user)] : [])),
        ...(undo.mac ? [ipLine('link', 'set', 'dev', undo.name, 'address', undo.mac)] : []),
      ];
    case 'veth':
      if (!undo.peer) throw new Error(`cannot recreate veth ${undo.name} without its peer's name`);
      return [ipLine('link', 'add', 'name', undo.name, ...mac, 'type', 'veth', 'peer', 'name', undo.peer, ...(undo.peerMac ? ['address', undo.peerMac] : []))];
  }
}

/**
 * The host as a link-level undo leaves it, so that the undos of one step can be reconciled from a
 * single read and run as one batch.
 */
export function afterUndo(undo: LinkUndo, links: LinkMap): LinkMap {
  switch (undo.ensure) {
    case 'link.absent': {
      const link = links.get(undo.name);
      return link ? withoutLinks(links, [undo.name, ...(link.peer === undefined ? [] : [link.peer])]) : links;
    }
    case 'link.present': {
      if (links.has(undo.name)) return links;
      const base = { mtu: 1500, up: false, addresses: [] };
      const created: LinkFacts[] = [{ ...base, name: undo.name, kind: undo.kind, ...(undo.peer === undefined ? {} : { peer: undo.peer }) }];
      if (undo.peer !== undefined) created.push({ ...base, name: undo.peer, kind: undo.kind, peer: undo.name });
      return withLinks(links, created);
    }
    case 'link.alias':
      return withLink(links, undo.name, (l) => ({ ...l, alias: ownerAlias(undo.network) }));
    case 'link.mtu':
      return withLink(links, undo.name, (l) => ({ ...l, mtu: undo.mtu }));
    case 'link.mac':
      return withLink(links, undo.name, (l) => ({ ...l, mac: undo.mac }));
    case 'link.master':
      return withLink(links, undo.name, (l) => {
        const { master: _previous, ...rest } = l;
        return undo.master === null ? rest : { ...rest, master: undo.master };
      });
    case 'link.up':
      return withLink(links, undo.name, (l) => ({ ...l, up: undo.up, addresses: undo.up ? l.addresses : l.addresses.filter((a) => a.family !== 'inet6') }));
    case 'addr.present':
      return withLink(links, undo.dev, (l) =>
        l.addresses.some((a) => a.cidr === undo.address) ? l : { ...l, addresses: [...l.addresses, { family: undo.address.includes(':') ? 'inet6' : 'inet', cidr: undo.address, scope: 'global' }] });
    case 'addr.absent':
      return withLink(links, undo.dev, (l) => ({ ...l, addresses: l.addresses.filter((a) => a.cidr !== undo.address) }));
  }
}
