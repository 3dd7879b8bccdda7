import type { HostSnapshot, LibvirtDomain, LibvirtNetwork, Link, Route } from '../../../main/core/host-snapshot';
import type { LinkRate } from './link-rates';
import { linkState, type LinkState } from './link-state';

/**
 * The host as a graph, the picture the seeds draw by hand: guests plug into taps, taps into
 * bridges, bridges serve networks, networks reach the outside through an uplink. Pure: the diagram
 * component only lays it out and draws it.
 */

export type TopologyNodeKind = 'ethernet' | 'wireless' | 'bridge' | 'tap' | 'veth' | 'link' | 'guest' | 'tapOwner' | 'network';

/** What a node stands for, with everything its details panel shows. */
export type TopologySubject =
  | { type: 'link'; link: Link; rate?: LinkRate }
  | { type: 'guest'; domain: LibvirtDomain }
  | { type: 'tapOwner'; uid: number; taps: string[] }
  | { type: 'network'; network: TopologyNetwork };

/** A libvirt network, a KVMNet network, or both (KVMNet's libvirt-backend networks). */
export interface TopologyNetwork {
  name: string;
  /** what libvirt says about it; absent for KVMNet's direct-backend networks */
  libvirt?: LibvirtNetwork;
  managedByKvmnet: boolean;
  bridge?: string;
  /** the link it leaves the host through when it forwards (NAT or routed) */
  uplink?: string;
}

export type NodeStatus = LinkState | 'running' | 'stopped' | 'active' | 'inactive';

export interface TopologyNode {
  id: string;
  kind: TopologyNodeKind;
  name: string;
  status?: NodeStatus;
  subject: TopologySubject;
}

/**
 * port: a link plugged into a bridge (or another master); uplink: a NIC that is a bridge's port;
 * network: the bridge a network runs on; nat / route: how a network leaves the host; guest: a
 * domain's interface; owner: the user who may open a tap; peer: the two ends of a veth pair.
 */
export type TopologyEdgeKind = 'port' | 'uplink' | 'network' | 'nat' | 'route' | 'guest' | 'owner' | 'peer';

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  kind: TopologyEdgeKind;
  /** the link whose counters this edge carries, so each byte is shown on one edge only */
  rateLink?: string;
  rate?: LinkRate;
}

export interface TopologyGraph {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

export const linkNodeId = (name: string): string => `link:${name}`;
export const guestNodeId = (name: string): string => `guest:${name}`;
export const networkNodeId = (name: string): string => `network:${name}`;
export const tapOwnerNodeId = (uid: number): string => `owner:${uid}`;

const byName = new Intl.Collator('en', { numeric: true }).compare;
const isAdapter = (l: Link): boolean => l.kind === 'physical' || l.kind === 'wireless';

function linkNodeKind(link: Link): TopologyNodeKind {
  switch (link.kind) {
    case 'physical': return 'ethernet';
    case 'wireless': return 'wireless';
    case 'bridge': return 'bridge';
    case 'tap':
    case 'macvtap': return 'tap';
    case 'veth': return 'veth';
    default: return 'link';
  }
}

/** The link the host's IPv4 default route leaves through (IPv6 when there is no IPv4 one). */
function defaultUplink(routes: readonly Route[]): string | undefined {
  const defaults = routes.filter((r) => r.dst === 'default' && r.dev && (r.table === undefined || r.table === 'main'));
  const best = (family: Route['family']) =>
    defaults.filter((r) => r.family === family).sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0]?.dev;
  return best('inet') ?? best('inet6');
}

const FORWARD_EDGES: Record<string, TopologyEdgeKind> = { nat: 'nat', route: 'route' };
/** the edge for libvirt's forward mode, for the modes that leave the host through its uplink */
const forwardEdge = (mode: string | undefined): TopologyEdgeKind | undefined =>
  mode !== undefined && Object.hasOwn(FORWARD_EDGES, mode) ? FORWARD_EDGES[mode] : undefined;

/** libvirt's networks and KVMNet's (read from the kvmnet:<network> alias on their bridges), merged by name. */
function collectNetworks(snapshot: HostSnapshot, bridges: readonly Link[], uplink: string | undefined): TopologyNetwork[] {
  const networks = new Map<string, TopologyNetwork>();
  for (const libvirt of snapshot.libvirt.networks) {
    const forwards = libvirt.active && forwardEdge(libvirt.forwardMode) !== undefined;
    networks.set(libvirt.name, {
      name: libvirt.name,
      libvirt,
      managedByKvmnet: libvirt.managedByKvmnet,
      ...(libvirt.bridge ? { bridge: libvirt.bridge } : {}),
      ...(forwards && uplink ? { uplink } : {}),
    });
  }
  for (const bridge of bridges) {
    if (!bridge.owner) continue;
    // the link on the host says where the network runs, whatever a record elsewhere names
    networks.set(bridge.owner, { ...networks.get(bridge.owner), name: bridge.owner, managedByKvmnet: true, bridge: bridge.name });
  }
  return [...networks.values()].sort((a, b) => byName(a.name, b.name));
}

function domainStatus(domain: LibvirtDomain): NodeStatus {
  return domain.state === 'running' ? 'running' : 'stopped';
}

function networkStatus(network: TopologyNetwork, links: ReadonlyMap<string, Link>): NodeStatus {
  if (network.libvirt) return network.libvirt.active ? 'active' : 'inactive';
  const bridge = network.bridge ? links.get(network.bridge) : undefined;
  return bridge?.up ? 'active' : 'inactive';
}

export function buildTopologyGraph(snapshot: HostSnapshot, rates: ReadonlyMap<string, LinkRate> = new Map()): TopologyGraph {
  const links = snapshot.links.filter((l) => l.kind !== 'loopback').sort((a, b) => byName(a.name, b.name));
  const linksByName = new Map(links.map((l) => [l.name, l]));
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const edge = (kind: TopologyEdgeKind, source: string, target: string, rateLink?: string): void => {
    const rate = rateLink ? rates.get(rateLink) : undefined;
    edges.push({ id: `${kind}:${source}→${target}`, source, target, kind, ...(rateLink ? { rateLink } : {}), ...(rate ? { rate } : {}) });
  };

  for (const link of links) {
    const rate = rates.get(link.name);
    nodes.push({ id: linkNodeId(link.name), kind: linkNodeKind(link), name: link.name, status: linkState(link), subject: { type: 'link', link, ...(rate ? { rate } : {}) } });
    const master = link.master ? linksByName.get(link.master) : undefined;
    if (!master) continue;
    // a NIC in a bridge is the bridge's way out: drawn beyond it, as an uplink
    if (isAdapter(link)) edge('uplink', linkNodeId(master.name), linkNodeId(link.name), link.name);
    else edge('port', linkNodeId(link.name), linkNodeId(master.name), link.name);
  }

  for (const link of links) {
    const peer = link.peer ? linksByName.get(link.peer) : undefined;
    if (peer && byName(link.name, peer.name) < 0) edge('peer', linkNodeId(link.name), linkNodeId(peer.name), link.master ? undefined : link.name);
  }

  // a link carries its own counters on its port edge; one that is in no bridge carries them to its guest
  const unbridged = (name: string): string | undefined => (linksByName.get(name)?.master ? undefined : name);

  const networks = collectNetworks(snapshot, links.filter((l) => l.kind === 'bridge'), defaultUplink(snapshot.routes));
  const networkNames = new Set(networks.map((n) => n.name));
  for (const network of networks) {
    const id = networkNodeId(network.name);
    nodes.push({ id, kind: 'network', name: network.name, status: networkStatus(network, linksByName), subject: { type: 'network', network } });
    if (network.bridge && linksByName.has(network.bridge)) edge('network', linkNodeId(network.bridge), id);
    const forward = forwardEdge(network.libvirt?.forwardMode);
    if (forward && network.uplink && linksByName.has(network.uplink)) {
      edge(forward, id, linkNodeId(network.uplink), network.bridge && linksByName.has(network.bridge) ? network.bridge : undefined);
    }
  }

  const claimedTaps = new Set<string>();
  for (const domain of [...snapshot.libvirt.domains].sort((a, b) => byName(a.name, b.name))) {
    const id = guestNodeId(domain.name);
    nodes.push({ id, kind: 'guest', name: domain.name, status: domainStatus(domain), subject: { type: 'guest', domain } });
    const joined = new Set<string>();
    for (const nic of domain.interfaces) {
      // a running guest's NIC is a tap (vnetN) on this host; a stopped one still names where it would join
      const tap = nic.target && linksByName.has(nic.target) ? nic.target : undefined;
      const target = tap ? linkNodeId(tap)
        : nic.source && nic.type === 'network' && networkNames.has(nic.source) ? networkNodeId(nic.source)
          : nic.source && linksByName.has(nic.source) ? linkNodeId(nic.source)
            : undefined;
      if (!target || joined.has(target)) continue;
      joined.add(target);
      if (tap) claimedTaps.add(tap);
      edge('guest', id, target, tap ? unbridged(tap) : undefined);
    }
  }

  // plain QEMU started by a user opens a persistent tap that user owns: show the owner as the guest
  const owners = new Map<number, string[]>();
  for (const link of links) {
    if (link.kind !== 'tap' || link.tapOwnerUid === undefined || claimedTaps.has(link.name)) continue;
    owners.set(link.tapOwnerUid, [...(owners.get(link.tapOwnerUid) ?? []), link.name]);
  }
  for (const [uid, taps] of [...owners].sort(([a], [b]) => a - b)) {
    nodes.push({ id: tapOwnerNodeId(uid), kind: 'tapOwner', name: `uid ${uid}`, subject: { type: 'tapOwner', uid, taps } });
    for (const tap of taps) edge('owner', tapOwnerNodeId(uid), linkNodeId(tap), unbridged(tap));
  }
  return { nodes, edges };
}
