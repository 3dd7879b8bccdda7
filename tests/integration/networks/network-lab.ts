import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { startGuest, type Guest, type GuestBehaviour } from '../../lab/guest';
import { readHostState, type HostState } from '../../lab/host-state';
import { startLibvirtd } from '../../lab/libvirtd';
import { startTopology, type Topology } from '../../lab/topology';
import { settleLinks } from '../../lab/laptop-lan';
import { NODE_ENTRIES } from '../../../vite.node.config';

export type Backend = 'direct' | 'libvirt';

/** one row of `kvmnet list --json`: what a test needs to put a guest on the network */
export interface ListedNetwork {
  name: string;
  kind: string;
  backend: string;
  bridge: string;
  subnet: string | null;
  gateway: string | null;
  active: boolean;
}

export interface NetworkLab {
  topology: Topology;
  kvmnet(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** kvmnet with extra environment, e.g. SUDO_UID as `sudo kvmnet` has it */
  kvmnetWithEnv(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** `kvmnet create`, then the network as `kvmnet list --json` shows it; throws with the CLI's stderr */
  create(kind: string, name: string, ...options: string[]): Promise<ListedNetwork>;
  /** a tap on the bridge (the attach command comes later) and a guest booted on it */
  boot(tap: string, mac: string, bridge: string, behaviour: GuestBehaviour): Promise<Guest>;
  /** ends every guest and removes every tap made since the last call */
  unplugGuests(): Promise<void>;
  /** waits until links, addresses and routes stop changing (bridge carrier, IPv6 duplicate address detection) */
  settle(): Promise<void>;
  state(): Promise<HostState>;
  close(): Promise<void>;
}

/** a guest wait is bounded well inside the test timeout, so a hung guest fails with its console */
const GUEST_TIMEOUT_MS = 60_000;

/**
 * The topology lab (upstream ← router ← laptop) with the kvmnet CLI bundled as it ships and run
 * as root on the laptop, so the engine applies in-process; libvirtd runs on the laptop when the
 * libvirt backend is under test.
 */
export async function startNetworkLab(backend: Backend): Promise<NetworkLab> {
  const [built, topology] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startTopology()]) as [NodeBundle, Topology];
  const { lab } = topology;
  try {
    if (backend === 'libvirt') await startLibvirtd(lab);
    // the direct backend must not find the machine's own libvirtd through a shared /run/libvirt
    else {
      await lab.sh('mkdir', ['-p', '/run/libvirt']);
      await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/libvirt']);
    }
  } catch (e) {
    await topology.close();
    await built.remove();
    throw e;
  }

  const kvmnet: NetworkLab['kvmnet'] = (...args) => lab.run(process.execPath, [built.path, ...args]);
  const kvmnetWithEnv: NetworkLab['kvmnetWithEnv'] = (env, ...args) => lab.run(process.execPath, [built.path, ...args], { env });
  const guests: Guest[] = [];
  const taps: string[] = [];

  return {
    topology,
    kvmnet,
    kvmnetWithEnv,
    async create(kind, name, ...options) {
      const created = await kvmnet('create', kind, name, '--backend', backend, ...options);
      if (created.exitCode !== 0) throw new Error(`kvmnet create ${kind} ${name} exited ${created.exitCode}: ${created.stderr}`);
      const listed = JSON.parse((await kvmnet('list', '--json')).stdout) as ListedNetwork[];
      const network = listed.find((n) => n.name === name);
      if (!network) throw new Error(`kvmnet list --json does not show ${name}: ${JSON.stringify(listed)}`);
      return network;
    },
    async boot(tap, mac, bridge, behaviour) {
      await lab.sh('ip', ['tuntap', 'add', 'dev', tap, 'mode', 'tap']);
      taps.push(tap);
      await lab.sh('ip', ['link', 'set', tap, 'master', bridge, 'up']);
      const guest = await startGuest(lab, {
        netArgs: ['-netdev', `tap,id=n0,ifname=${tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=n0,mac=${mac}`],
        behaviour,
        timeoutMs: GUEST_TIMEOUT_MS,
      });
      guests.push(guest);
      return guest;
    },
    async unplugGuests() {
      await Promise.all(guests.splice(0).map((g) => g.close()));
      for (const tap of taps.splice(0)) await lab.sh('ip', ['link', 'del', 'dev', tap]);
    },
    settle: () => settleLinks(lab),
    state: () => readHostState(lab),
    async close() {
      await Promise.all(guests.map((g) => g.close()));
      await topology.close();
      await built.remove();
    },
  };
}

/** whether an IPv4 address lies inside a CIDR */
export function inSubnet(ip: string, cidr: string): boolean {
  const [base, prefix] = cidr.split('/') as [string, string];
  const value = (a: string) => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(value(ip) / size) === Math.floor(value(base) / size);
}
