import { existsSync } from 'node:fs';
import { z } from 'zod';
import { labUnavailableReason, type Lab } from './lab';
import type { NmCommandFailure, RunCommand } from '../../main/host/network-manager/nm-command';
import { readNetworkManager, type NetworkManagerState } from '../../main/host/network-manager/devices';

/**
 * NetworkManager inside a lab, as on a desktop: a private system D-Bus, systemd-udevd (without it NM
 * leaves every device unmanaged) and NetworkManager on empty state. Everything runs in the lab's PID
 * namespace and dies with it.
 */

const DIR = '/run/kvmnet-lab-nm';
/** tmpfs over each: NM and udevd start from nothing, and nothing they write outlives the lab */
const STATE_DIRS = ['/run/dbus', '/run/NetworkManager', '/run/udev', '/etc/NetworkManager/system-connections', '/var/lib/NetworkManager', '/etc/udev/rules.d'];

/**
 * The lab's udevd receives the machine's own uevents too (block, input …: the kernel sends uevents
 * that belong to no network namespace to all of them) and /dev is shared, so it runs only the
 * rules that concern network devices, each guarded by SUBSYSTEM=="net".
 */
const NET_UDEV_RULES = ['75-net-description.rules', '80-net-setup-link.rules', '81-net-dhcp.rules', '84-nm-drivers.rules', '85-nm-unmanaged.rules'];
const UDEV_RULES_DIR = '/usr/lib/udev/rules.d';

/**
 * The machine's system.conf without service activation: NM would otherwise have the bus start
 * polkitd, hostnamed or ModemManager inside the lab. Policies come from the usual system.d files.
 */
export const DBUS_CONF = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <pidfile>/run/dbus/pid</pidfile>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <includedir>/usr/share/dbus-1/system.d</includedir>
  <includedir>/etc/dbus-1/system.d</includedir>
</busconfig>
`;

/**
 * hostname-mode=none: the lab shares the machine's UTS namespace, and a DHCP lease must not rename
 * the machine. dns=none: /etc/resolv.conf stays as it is. auth-polkit=false: root needs no polkitd.
 */
const NM_CONF = `[main]
plugins=keyfile
no-auto-default=*
hostname-mode=none
dns=none
rc-manager=unmanaged
auth-polkit=false

[logging]
level=INFO

[connectivity]
enabled=false
`;

/** the programs this fixture starts, and the Debian package of each */
const NM_LAB_PROGRAMS = [
  ['/usr/sbin/NetworkManager', 'network-manager'],
  ['/usr/bin/dbus-daemon', 'dbus'],
  ['/lib/systemd/systemd-udevd', 'udev'],
  ['/usr/bin/busctl', 'systemd'],
  ['/usr/sbin/dnsmasq', 'dnsmasq-base'],
] as const;

/** Why a NetworkManager lab cannot run here, or undefined when it can. Tests print this when they skip. */
export function networkManagerLabUnavailableReason(): string | undefined {
  const missing = NM_LAB_PROGRAMS.filter(([path]) => !existsSync(path));
  if (missing.length > 0) return `${missing.map(([path]) => path).join(', ')} missing: apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}`;
  return labUnavailableReason();
}

export interface LabNetworkManager {
  /** nmcli inside the lab; throws with nmcli's stderr when it fails */
  nmcli(args: readonly string[]): Promise<string>;
  /** runs the product's NetworkManager readers against this lab */
  readonly run: RunCommand;
  /** what NetworkManager logged so far, for failure messages */
  log(): string;
  /** from the first mount to NetworkManager managing every requested device */
  readonly startupMs: number;
  /**
   * What a reboot does to networking, without one: NetworkManager stops, software links vanish,
   * the NICs (the lab's veths) are down without addresses, NM's runtime state in /run is gone; then
   * NM starts again on its saved profiles and resolves once it manages `devices`.
   */
  reboot(devices: readonly string[]): Promise<void>;
}

/** A RunCommand that runs inside the lab and fails like execa does (exit code and stderr on the error). */
export function labCommand(lab: Lab): RunCommand {
  return async (file, args) => {
    const r = await lab.run(file, args);
    if (r.exitCode !== 0) {
      throw Object.assign(new Error(`${file} ${args.join(' ')} failed (${r.exitCode}): ${r.stderr.trim()}`), { exitCode: r.exitCode, stderr: r.stderr } satisfies NmCommandFailure);
    }
    return r.stdout;
  };
}

async function writeLabFile(lab: Lab, path: string, content: string): Promise<void> {
  await lab.sh('tee', [path], { input: content, stdout: 'ignore' });
}

/** Polls `probe` every 50 ms until it gives a value; fails with `what` and `detail()` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** managed, with carrier: ready for `nmcli connection up` */
const isReady = (state: NetworkManagerState, device: string): boolean =>
  state.running && state.devices.some((d) => d.device === device && d.state !== 'unmanaged' && d.state !== 'unavailable');

/** Starts NetworkManager in the foreground and waits until it manages `devices`; its stderr is appended to `log.text`. */
async function launchNetworkManager(lab: Lab, run: RunCommand, devices: readonly string[], log: { text: string }): Promise<void> {
  // --debug: stay in the foreground and log to stderr (there is no journal in the lab)
  const nm = lab.spawn('NetworkManager', ['--no-daemon', '--debug', `--config=${DIR}/NetworkManager.conf`], { stdin: 'ignore', buffer: false, reject: false });
  nm.stderr?.on('data', (chunk: Buffer) => { log.text += chunk.toString(); });
  await waitFor(
    `NetworkManager did not manage ${devices.join(', ') || 'anything'}`,
    async () => {
      const state = await readNetworkManager(run);
      return state.running && devices.every((d) => isReady(state, d)) ? state : undefined;
    },
    10_000,
    () => log.text,
  );
}

const LinkList = z.array(z.object({ ifname: z.string(), linkinfo: z.object({ info_kind: z.string() }).optional() }));

/** Stops NetworkManager by its PID (the lab has its own PID namespace, so pidof sees only the lab) and waits until it is gone. */
async function stopNetworkManager(lab: Lab): Promise<void> {
  const pid = (await lab.sh('pidof', ['NetworkManager'])).trim();
  await lab.sh('kill', [pid]);
  await waitFor('NetworkManager did not stop', async () => ((await lab.run('pidof', ['NetworkManager'])).exitCode !== 0 ? true : undefined), 10_000);
}

/**
 * Starts D-Bus, udevd and NetworkManager in the lab and waits until NM answers and manages each of
 * `devices` (which must exist already or appear on their own).
 */
export async function startNetworkManager(lab: Lab, options: { devices: readonly string[] }): Promise<LabNetworkManager> {
  const started = performance.now();
  await lab.sh('mkdir', ['-p', DIR, `${DIR}/udev-rules`, ...STATE_DIRS]);
  for (const dir of STATE_DIRS) await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', dir]);
  await lab.sh('cp', NET_UDEV_RULES.map((f) => `${UDEV_RULES_DIR}/${f}`).concat(`${DIR}/udev-rules/`));
  await lab.sh('mount', ['--bind', `${DIR}/udev-rules`, UDEV_RULES_DIR]);
  await writeLabFile(lab, `${DIR}/dbus.conf`, DBUS_CONF);
  await writeLabFile(lab, `${DIR}/NetworkManager.conf`, NM_CONF);

  await lab.sh('dbus-daemon', [`--config-file=${DIR}/dbus.conf`, '--fork']);
  await lab.sh('/lib/systemd/systemd-udevd', ['--daemon']);
  await lab.sh('udevadm', ['trigger', '--action=add', '--subsystem-match=net']);
  await lab.sh('udevadm', ['settle', '--timeout=5']);

  const log = { text: '' };
  const run = labCommand(lab);
  await launchNetworkManager(lab, run, options.devices, log);
  return {
    nmcli: (args) => lab.sh('nmcli', args),
    run,
    log: () => log.text,
    startupMs: performance.now() - started,
    async reboot(devices) {
      await stopNetworkManager(lab);
      const links = LinkList.parse(JSON.parse(await lab.sh('ip', ['-j', '-d', 'link', 'show'])));
      for (const link of links) {
        const kind = link.linkinfo?.info_kind;
        // the lab's veths stand for the NICs, which survive a reboot; every other link is software
        if (link.ifname === 'lo') continue;
        if (kind === 'veth') {
          await lab.sh('ip', ['addr', 'flush', 'dev', link.ifname]);
          await lab.sh('ip', ['link', 'set', link.ifname, 'down']);
        } else await lab.sh('ip', ['link', 'del', link.ifname]);
      }
      await lab.sh('find', ['/run/NetworkManager', '-mindepth', '1', '-delete']);
      log.text += '\n--- reboot ---\n';
      await launchNetworkManager(lab, run, devices, log);
    },
  };
}

export interface LabLanRouter {
  readonly gateway: string;
  /** dnsmasq's lease file: "expiry mac ip hostname client-id" per line */
  leases(): Promise<string>;
}

const ROUTER_NS = 'router';
const ROUTER_DIR = '/run/kvmnet-lab-router';

/**
 * The home router of a NetworkManager lab: a namespace `router` inside the lab, joined to the lab
 * by a veth pair whose lab end is the laptop's `eth0`, with dnsmasq giving out 203.0.113.0/24
 * (TEST-NET-3; the machine's own LAN may well use TEST-NET-1) with itself as gateway and DNS.
 * Start it before NetworkManager so that eth0 has carrier when NM first looks.
 */
export async function startLanRouter(lab: Lab, options: { laptopIfname: string; laptopMac: string }): Promise<LabLanRouter> {
  const gateway = '203.0.113.1';
  await lab.sh('mkdir', ['-p', ROUTER_DIR]);
  await lab.sh('ip', ['netns', 'add', ROUTER_NS]);
  await lab.sh('ip', ['link', 'add', options.laptopIfname, 'address', options.laptopMac, 'type', 'veth', 'peer', 'name', 'lan0', 'netns', ROUTER_NS]);
  await lab.sh('ip', ['-n', ROUTER_NS, 'link', 'set', 'lo', 'up']);
  await lab.sh('ip', ['-n', ROUTER_NS, 'addr', 'add', `${gateway}/24`, 'dev', 'lan0']);
  await lab.sh('ip', ['-n', ROUTER_NS, 'link', 'set', 'lan0', 'up']);

  let log = '';
  const dnsmasq = lab.spawn('ip', [
    'netns', 'exec', ROUTER_NS, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--log-facility=-', `--pid-file=${ROUTER_DIR}/dnsmasq.pid`,
    '--no-resolv', '--no-hosts', '--bind-interfaces', '--interface=lan0', '--except-interface=lo',
    '--dhcp-range=203.0.113.100,203.0.113.199,255.255.255.0,1h', `--dhcp-option=option:router,${gateway}`,
    `--dhcp-option=option:dns-server,${gateway}`, `--host-record=router.lan,${gateway}`, '--dhcp-authoritative',
    // dnsmasq pings an address for up to 3 s before offering it; nobody else is on this LAN
    '--no-ping', `--dhcp-leasefile=${ROUTER_DIR}/leases`,
  ], { stdin: 'ignore', buffer: false, reject: false });
  dnsmasq.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  await waitFor('dnsmasq did not start', async () => (log.includes('DHCP, IP range') ? true : undefined), 5000, () => log);
  return {
    gateway,
    leases: async () => (await lab.run('cat', [`${ROUTER_DIR}/leases`])).stdout,
  };
}
