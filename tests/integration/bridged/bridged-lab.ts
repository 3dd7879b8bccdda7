import type { ResultPromise } from 'execa';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { startLab, type Lab } from '../../lab/lab';
import { childPids, commandLine } from '../../lab/process-tree';
import { PENDING_TIMER_FLAG } from '../../../main/helper/pending-timer-launch';
import { startLanRouter, startNetworkManager, waitFor, type LabLanRouter, type LabNetworkManager } from '../../lab/network-manager';
import { startNetworkd, type LabNetworkd } from '../../lab/networkd';
import { settleLinks } from '../../lab/laptop-lan';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { connectEth0, kernelLink, LAPTOP_MAC, type NmLab } from '../nm/nm-lab-steps';

/**
 * A laptop on the lab router's LAN for the bridge-to-LAN proofs, with the kvmnet CLI bundle; with
 * NetworkManager (eth0 on DHCP through a profile "home"), with systemd-networkd (eth0 configured by
 * the user's /etc/systemd/network/50-eth0.network, DHCP or static) or with neither (eth0 configured
 * by hand, as on a server or a minimal desktop).
 */
export interface BridgedLab {
  readonly lab: Lab;
  readonly router: LabLanRouter;
  readonly nm?: LabNetworkManager;
  readonly networkd?: LabNetworkd;
  kvmnet(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** starts kvmnet in the background; `output` collects its stdout and stderr */
  spawnKvmnet(...args: string[]): SpawnedKvmnet;
  /** links, addresses, routes and NM profiles, normalised to compare before and after */
  snapshot(): Promise<LanSnapshot>;
  close(): Promise<void>;
}

export interface LanSnapshot {
  links: string[];
  addresses: string[];
  routes: string[];
  profiles: string[];
  active: string[];
  /** each file in /etc/systemd/network with its content, when networkd runs */
  networkdFiles: string[];
}

export interface SpawnedKvmnet {
  proc: ResultPromise;
  output(): string;
  /** the host PID of the kvmnet process itself (proc is the nsenter that started it) */
  pid(): Promise<number>;
}

export const STATIC_ADDRESS = '203.0.113.50/24';

async function readSnapshot(lab: Lab, nm: boolean, networkd: boolean): Promise<LanSnapshot> {
  const lines = async (args: string[]) => (await lab.sh(args[0]!, args.slice(1))).split('\n').map((l) => l.trim()).filter(Boolean).sort();
  return {
    links: (await lines(['ip', '-o', 'link', 'show'])).map((l) => l.replace(/^\d+: /, '').replace(/ +link\/ether (\S+).*/, ' $1').replace(/qdisc.*state (\S+).*/, 'state $1')),
    // lifetimes count down, and IPv6 addresses come from the router's SLAAC: only global IPv4 and what owns it
    addresses: (await lines(['ip', '-o', '-4', 'addr', 'show', 'scope', 'global'])).map((l) => l.replace(/^\d+: /, '').replace(/\\.*$/, '').replace(/ +(valid_lft|dynamic|noprefixroute).*/, '')),
    routes: (await lines(['ip', '-4', 'route', 'show'])),
    profiles: nm ? await lines(['nmcli', '-g', 'UUID,NAME,TYPE', 'connection', 'show']) : [],
    active: nm ? await lines(['nmcli', '-g', 'UUID,DEVICE', 'connection', 'show', '--active']) : [],
    networkdFiles: networkd ? await networkdFiles(lab) : [],
  };
}

/** a file removed between the listing and its read (a rollback under way) is left out: the snapshot then differs, and a wait reads again */
async function networkdFiles(lab: Lab): Promise<string[]> {
  const names = (await lab.sh('ls', ['-A', NETWORKD_DIR])).split('\n').filter(Boolean).sort();
  const read = await Promise.all(names.map(async (name) => ({ name, r: await lab.run('cat', [`${NETWORKD_DIR}/${name}`]) })));
  return read.filter(({ r }) => r.exitCode === 0).map(({ name, r }) => `${name}: ${JSON.stringify(r.stdout)}`);
}

const NETWORKD_DIR = '/etc/systemd/network';

/** the user's own networkd file for eth0, as a networkd lab starts with it */
export const USER_NETWORK_FILE = '50-eth0.network';
const USER_NETWORKS = {
  dhcp: '[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n',
  static: `[Match]\nName=eth0\n\n[Network]\nAddress=${STATIC_ADDRESS}\nGateway=203.0.113.1\nDNS=203.0.113.1\n\n[Route]\nDestination=198.51.100.0/24\nGateway=203.0.113.254\n`,
} as const;

export async function startBridgedLab(options: { networkManager: boolean; networkd?: keyof typeof USER_NETWORKS }): Promise<BridgedLab> {
  const [built, lab] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startLab()]) as [NodeBundle, Lab];
  let nm: LabNetworkManager | undefined;
  let networkd: LabNetworkd | undefined;
  let router: LabLanRouter;
  try {
    router = await startLanRouter(lab, { laptopIfname: 'eth0', laptopMac: LAPTOP_MAC });
    await lab.sh('mkdir', ['-p', '/run/libvirt']);
    await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/libvirt']);
    if (options.networkManager) {
      nm = await startNetworkManager(lab, { devices: ['eth0'] });
      const nmLab: NmLab = { lab, nm, router };
      await connectEth0(nmLab, 'home', ['ipv4.method', 'auto', 'ipv6.method', 'disabled']);
    } else if (options.networkd) {
      networkd = await startNetworkd(lab, { files: { [USER_NETWORK_FILE]: USER_NETWORKS[options.networkd] }, links: ['eth0'] });
      await waitFor('eth0 got no address from networkd', async () => ((await kernelLink(lab, 'eth0'))?.addresses.length ? true : undefined), 10_000, () => networkd!.log());
    } else {
      await lab.sh('ip', ['-batch', '-'], { input: `link set eth0 up\naddr add ${STATIC_ADDRESS} dev eth0\nroute add default via ${router.gateway} dev eth0 metric 100\nroute add 198.51.100.0/24 via 203.0.113.254 dev eth0\n` });
      await waitFor('eth0 did not come up', async () => ((await kernelLink(lab, 'eth0'))?.addresses.length ? true : undefined), 5000);
      await settleLinks(lab);
    }
  } catch (e) {
    await lab.close();
    await built.remove();
    throw e;
  }
  return {
    lab,
    router,
    ...(nm ? { nm } : {}),
    ...(networkd ? { networkd } : {}),
    kvmnet: (...args) => lab.run(process.execPath, [built.path, ...args]),
    spawnKvmnet(...args) {
      let output = '';
      const proc = lab.spawn(process.execPath, [built.path, ...args], { stdin: 'ignore', buffer: false, reject: false });
      proc.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
      proc.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
      const pid = async () => {
        const [kvmnet] = await childPids(proc.pid!);
        if (kvmnet === undefined) throw new Error(`kvmnet ${args.join(' ')} is not running`);
        return kvmnet;
      };
      return { proc, output: () => output, pid };
    },
    snapshot: () => readSnapshot(lab, nm !== undefined, networkd !== undefined),
    async close() {
      await lab.close();
      await built.remove();
    },
  };
}

/** waits until `text()` contains `marker` */
export const waitForOutput = (text: () => string, marker: string | RegExp, timeoutMs: number): Promise<true> =>
  waitFor(`no ${String(marker)} in the output`, async () => ((typeof marker === 'string' ? text().includes(marker) : marker.test(text())) ? true : undefined), timeoutMs, text);

/** the host PID of the confirmation timer a `kvmnet create bridged` started: its detached child */
export async function pendingTimerPid(kvmnet: SpawnedKvmnet): Promise<number> {
  for (const pid of await childPids(await kvmnet.pid())) if ((await commandLine(pid)).includes(PENDING_TIMER_FLAG)) return pid;
  throw new Error('kvmnet has no confirmation timer running');
}
