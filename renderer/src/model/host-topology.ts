import type { HostSnapshot, LibvirtNetwork, Link } from '../../../main/core/host-snapshot';

export interface BridgeGroup {
  bridge: Link;
  /** the links enslaved to this bridge: taps of VMs, veths, sometimes a NIC */
  ports: Link[];
}

/**
 * The snapshot arranged the way people think about it: hardware, bridges with what is plugged
 * into them, and the rest. Each non-loopback link is listed once at top level, except bridge ports,
 * which appear under their bridge (a NIC that is a port also stays among the adapters).
 * The inventory view renders this; a topology graph can draw the same structure.
 */
export interface HostTopology {
  adapters: Link[];
  bridges: BridgeGroup[];
  others: Link[];
  libvirt: { available: boolean; reason?: string; networks: LibvirtNetwork[] };
  /** every link shown, loopback excluded */
  linkCount: number;
}

const byName = new Intl.Collator('en', { numeric: true }).compare;
const sortLinks = (links: Link[]): Link[] => [...links].sort((a, b) => byName(a.name, b.name));
const isAdapter = (l: Link): boolean => l.kind === 'physical' || l.kind === 'wireless';

export function buildTopology(snapshot: HostSnapshot): HostTopology {
  const links = sortLinks(snapshot.links.filter((l) => l.kind !== 'loopback'));
  const bridgeNames = new Set(links.filter((l) => l.kind === 'bridge').map((l) => l.name));
  const isPort = (l: Link): boolean => l.master !== undefined && bridgeNames.has(l.master);
  return {
    adapters: links.filter(isAdapter),
    bridges: links
      .filter((l) => l.kind === 'bridge')
      .map((bridge) => ({ bridge, ports: links.filter((l) => l.master === bridge.name) })),
    others: links.filter((l) => !isAdapter(l) && l.kind !== 'bridge' && !isPort(l)),
    libvirt: {
      available: snapshot.libvirt.available,
      ...(snapshot.libvirt.reason ? { reason: snapshot.libvirt.reason } : {}),
      networks: [...snapshot.libvirt.networks].sort((a, b) => byName(a.name, b.name)),
    },
    linkCount: links.length,
  };
}
