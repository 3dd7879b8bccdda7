import type { DoctorFacts } from './doctor-facts';

/**
 * Every virtual network on the host in one shape, whoever made it: KVMNet's direct networks (from
 * their records), and libvirt networks (KVMNet's and foreign ones alike, since a foreign network
 * broken by the host hurts the user's VMs just the same).
 */
export interface VmNetwork {
  readonly name: string;
  /** in words for messages: 'the network "lab"' or 'the libvirt network "default"' */
  readonly label: string;
  readonly backend: 'direct' | 'libvirt';
  readonly managedByKvmnet: boolean;
  /** the kernel routes or masquerades its guests' traffic (nat, routed, libvirt route/open) */
  readonly forwards: boolean;
  /** libvirt forward mode 'bridge': guests sit on an existing host bridge, the host forwards nothing */
  readonly hostBridge: boolean;
  readonly bridge?: string;
  readonly uplink?: string;
  /** routed with proxy ARP: its subnet is a slice of this uplink's LAN on purpose */
  readonly sharesLanOf?: string;
  readonly subnets: readonly string[];
  readonly active: boolean;
}

const FORWARDING_LIBVIRT_MODES = new Set(['nat', 'route', 'open']);

export function vmNetworks(facts: DoctorFacts): VmNetwork[] {
  const { snapshot } = facts;
  const direct = facts.records.map(({ spec }): VmNetwork => ({
    name: spec.name,
    label: `the network "${spec.name}"`,
    backend: 'direct',
    managedByKvmnet: true,
    forwards: spec.kind === 'nat' || spec.kind === 'routed',
    hostBridge: false,
    bridge: spec.bridge,
    ...(spec.uplink !== undefined && { uplink: spec.uplink }),
    ...(spec.proxyArp && spec.uplink !== undefined && { sharesLanOf: spec.uplink }),
    subnets: [spec.ipv4?.subnet, spec.ipv6?.subnet].filter((s): s is string => s !== undefined),
    // a direct network runs when its bridge exists and carries the network's alias
    active: snapshot.links.some((l) => l.name === spec.bridge && l.owner === spec.name),
  }));
  const libvirt = facts.libvirt.networks.map((n): VmNetwork => ({
    name: n.name,
    label: n.managedByKvmnet ? `the network "${n.name}"` : `the libvirt network "${n.name}"`,
    backend: 'libvirt',
    managedByKvmnet: n.managedByKvmnet,
    forwards: n.forwardMode !== undefined && FORWARDING_LIBVIRT_MODES.has(n.forwardMode),
    hostBridge: n.forwardMode === 'bridge',
    ...(n.bridge !== undefined && { bridge: n.bridge }),
    ...(n.uplink !== undefined && { uplink: n.uplink }),
    subnets: n.subnets,
    active: n.active,
  }));
  return [...direct, ...libvirt];
}

/** the links of the host that belong to a network: its bridge and the ports on it */
export function networkLinks(network: VmNetwork, facts: DoctorFacts): Set<string> {
  if (network.bridge === undefined) return new Set();
  const bridge = network.bridge;
  return new Set([bridge, ...facts.snapshot.links.filter((l) => l.master === bridge).map((l) => l.name)]);
}

/** the device the host's IPv4 default route leaves by, preferring the lowest metric */
export function defaultRouteDevice(facts: DoctorFacts): string | undefined {
  const defaults = facts.snapshot.routes
    .filter((r) => r.family === 'inet' && (r.dst === 'default' || r.dst === '0.0.0.0/0') && r.dev !== undefined)
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  return defaults[0]?.dev;
}
