import { sysctlTarget } from './sysctl-key';
import type { NetworkSpec } from '../core/network/network-spec';
import type { BridgedRecord } from '../core/bridge-to-lan/bridged-record';
import { readNetworkdRecord } from './networkd-control';
import { runningDnsmasq } from './dnsmasq-control';
import type { HostIo } from './host-io';
import { readLibvirtNetwork, type LibvirtNetworkFacts } from './libvirt-control';
import type { LinkMap } from './link-facts';
import { readNftNetworks } from './nft-network-set';
import type { Plan, Step } from './protocol';
import { readProxyArpUplinks } from './proxy-arp-uplinks';

/** a libvirt network as validation needs it (its XML matters only to inverses, which read it again) */
export type LibvirtState = Omit<LibvirtNetworkFacts, 'xml'>;

/**
 * The host as plan validation sees it, read once before anything runs and then carried through
 * each step's simulation. Only what the plan's steps name is read: a plan without libvirt steps
 * never waits for libvirtd.
 */
export interface PlanState {
  links: LinkMap;
  /** the networks in KVMNet's nftables table */
  nft: ReadonlyMap<string, NetworkSpec>;
  /** networks whose KVMNet dnsmasq runs */
  dnsmasq: ReadonlySet<string>;
  /** the libvirt networks the plan names that exist */
  libvirt: ReadonlyMap<string, LibvirtState>;
  /**
   * The uplinks of the proxy-ARP networks the plan names (in its specs, or in the records of the
   * networks it deletes; for a plan of proxy_arp switches alone, those existing records name): the
   * only links KVMNet does not own whose proxy_arp the helper may set.
   */
  proxyArpUplinks?: ReadonlySet<string>;
  /**
   * The persistent bridge-to-LAN records of the networks whose networkd steps the plan names
   * (undefined: none), as the earlier steps of the plan leave them: networkd bridges carry no
   * KVMNet alias, so the record is what says a bridge is KVMNet's.
   */
  networkdRecords?: ReadonlyMap<string, BridgedRecord | undefined>;
}

/** A fact the plan depends on could not be read: the apply fails at that step with nothing run. */
export class UnreadableFact extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
  }
}

const dnsmasqNetwork = (step: Step): string | undefined =>
  step.op === 'dnsmasq.start' ? step.spec.name : step.op === 'dnsmasq.stop' || step.op === 'dnsmasq.hosts' ? step.network : undefined;

const networkdNetwork = (step: Step): string | undefined => (step.op === 'networkd.bridge' || step.op === 'networkd.unbridge' ? step.network : undefined);

const libvirtNetwork = (step: Step): string | undefined => {
  if (step.op === 'libvirt.define') return step.spec.name;
  // a libvirt network's forwards: its ownership is checked like any libvirt step's
  if (step.op === 'nft.network') return step.spec?.backend === 'libvirt' ? step.network : undefined;
  return step.op.startsWith('libvirt.') ? (step as { network: string }).network : undefined;
};

async function readFor<T>(plan: Plan, named: (step: Step) => string | undefined, read: (name: string) => Promise<T>): Promise<Map<string, T>> {
  const facts = new Map<string, T>();
  for (const [index, step] of plan.steps.entries()) {
    const name = named(step);
    if (name === undefined || facts.has(name)) continue;
    try {
      facts.set(name, await read(name));
    } catch (e) {
      throw new UnreadableFact(index, (e as Error).message);
    }
  }
  return facts;
}

/** the networks in KVMNet's nftables table, when a step of the plan changes it */
async function readNft(plan: Plan, io: HostIo): Promise<PlanState['nft']> {
  const nftAt = plan.steps.findIndex((s) => s.op === 'nft.network');
  if (nftAt < 0) return new Map();
  try {
    return await readNftNetworks(io);
  } catch (e) {
    throw new UnreadableFact(nftAt, (e as Error).message);
  }
}

/**
 * The link a step names whose check, simulation or inverse reads that link's addresses (an
 * address already there is not added again, nor its removal undone; a link taken down or deleted,
 * or whose IPv6 is turned off, gets its addresses back).
 */
const addressesReadOf = (step: Step): string | undefined => {
  if (step.op === 'addr.add' || step.op === 'addr.delete') return step.dev;
  if (step.op === 'link.setState' || step.op === 'link.delete') return step.name;
  if (step.op === 'sysctl.set') {
    const target = sysctlTarget(step.key);
    if (target?.iface !== undefined && target.path.endsWith('/disable_ipv6')) return target.iface;
  }
  return undefined;
};

/**
 * The links, from sysfs (no process) unless the plan needs what only `ip` reads: the addresses of
 * a link that exists before it runs, or the per-interface sysctls a delete captures. A create
 * names only links it makes, whose addresses the simulation knows.
 */
export async function readLinksFor(plan: Plan, io: HostIo): Promise<LinkMap> {
  const deletes = plan.steps.some((s) => s.op === 'link.delete');
  if (!deletes) {
    const links = await io.readLinksWithoutAddresses();
    if (links && !plan.steps.some((s) => { const name = addressesReadOf(s); return name !== undefined && links.has(name); })) return links;
  }
  return io.readLinks({ sysctls: deletes });
}

/** the facts are independent of one another and read side by side; the links take longest */
export async function readPlanState(plan: Plan, io: HostIo): Promise<PlanState> {
  const [links, nft, dnsmasq, libvirt, proxyArpUplinks, networkdRecords] = await Promise.all([
    readLinksFor(plan, io),
    readNft(plan, io),
    readFor(plan, dnsmasqNetwork, (name) => runningDnsmasq(io, name)),
    readFor(plan, libvirtNetwork, (name) => readLibvirtNetwork(io, name)),
    readProxyArpUplinks(plan, io),
    readFor(plan, networkdNetwork, (name) => readNetworkdRecord(io, name)),
  ]);
  return {
    proxyArpUplinks,
    networkdRecords,
    links,
    nft,
    dnsmasq: new Set([...dnsmasq].flatMap(([name, pid]) => (pid === undefined ? [] : [name]))),
    libvirt: new Map([...libvirt].flatMap(([name, facts]) => {
      if (facts === undefined) return [];
      const { xml: _xml, ...state } = facts;
      return [[name, state] as const];
    })),
  };
}
