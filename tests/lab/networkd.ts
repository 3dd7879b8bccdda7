import { existsSync } from 'node:fs';
import { labUnavailableReason, type Lab } from './lab';
import { z } from 'zod';
import { DBUS_CONF, waitFor } from './network-manager';

/**
 * systemd-networkd inside a lab, as on a server or a desktop without NetworkManager: a private
 * system D-Bus (networkctl reload and reconfigure are D-Bus calls), systemd-udevd (networkd leaves a
 * link "pending" until udev has processed it: /run/udev/data/n<ifindex> must exist) and networkd on
 * empty state, configured by the user's own files in /etc/systemd/network. Everything runs in the
 * lab's PID namespace and dies with it.
 */

const DIR = '/run/kvmnet-lab-networkd';
/** tmpfs over each: networkd, udevd and the bus start from nothing; the machine's /etc/systemd/network is never seen */
const STATE_DIRS = ['/run/dbus', '/run/udev', '/run/systemd', '/etc/systemd/network', '/etc/udev/rules.d'];

/**
 * The lab's udevd receives the machine's own uevents too (see network-manager.ts), so it runs only
 * the rules for network devices: what networkd needs is that udev marked the link initialized.
 */
const NET_UDEV_RULES = ['75-net-description.rules', '80-net-setup-link.rules'];
const UDEV_RULES_DIR = '/usr/lib/udev/rules.d';

/**
 * The lab's eth0 is a veth, which udev gives no persistent name; a real NIC has one (enp0s3), and
 * networkd derives the DHCPv4 IAID from it, where a bridge's comes from its MAC. This rule gives
 * eth0 the name a PCI NIC would have (after 80-net-setup-link, so nothing is renamed), so that the
 * lab shows what a laptop shows: the bridge asks with another client identifier unless told.
 */
const NIC_NAME_RULE = 'SUBSYSTEM=="net", KERNEL=="eth0", ENV{ID_NET_NAME_PATH}="enp0s3"\n';

const NETWORKD_LAB_PROGRAMS = [
  ['/lib/systemd/systemd-networkd', 'systemd'],
  ['/usr/bin/networkctl', 'systemd'],
  ['/usr/bin/dbus-daemon', 'dbus'],
  ['/lib/systemd/systemd-udevd', 'udev'],
  ['/usr/sbin/dnsmasq', 'dnsmasq-base'],
] as const;

/** Why a networkd lab cannot run here, or undefined when it can. Tests print this when they skip. */
export function networkdLabUnavailableReason(): string | undefined {
  const missing = NETWORKD_LAB_PROGRAMS.filter(([path]) => !existsSync(path));
  if (missing.length > 0) return `${missing.map(([path]) => path).join(', ')} missing: apt-get install ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')}`;
  return labUnavailableReason();
}

export interface LabNetworkd {
  /** networkctl inside the lab; throws with its stderr when it fails */
  networkctl(args: readonly string[]): Promise<string>;
  /** what networkd logged so far, for failure messages */
  log(): string;
  /** from the first mount to networkd having configured every requested link */
  readonly startupMs: number;
  /**
   * What a reboot does to networking, without one: networkd stops, software links vanish, the NICs
   * (the lab's veths) are down without addresses, networkd's runtime state in /run is gone; then
   * networkd starts again on the files in /etc/systemd/network and resolves once it configured `links`.
   */
  reboot(links: readonly string[]): Promise<void>;
}

const LinkList = z.array(z.object({ ifname: z.string(), linkinfo: z.object({ info_kind: z.string() }).optional() }));

/** networkctl's SETUP column for each link */
async function setupStates(lab: Lab): Promise<Map<string, string>> {
  const out = (await lab.run('networkctl', ['list', '--no-legend', '--no-pager'])).stdout;
  return new Map(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 5).map((f) => [f[1]!, f[4]!]));
}

/**
 * Starts D-Bus, udevd and networkd in the lab with `files` (name → text) in /etc/systemd/network,
 * and waits until networkd has configured each of `links`.
 */
export async function startNetworkd(lab: Lab, options: { files: Record<string, string>; links: readonly string[] }): Promise<LabNetworkd> {
  const started = performance.now();
  await lab.sh('mkdir', ['-p', DIR, `${DIR}/udev-rules`, ...STATE_DIRS]);
  for (const dir of STATE_DIRS) await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', dir]);
  await lab.sh('cp', NET_UDEV_RULES.map((f) => `${UDEV_RULES_DIR}/${f}`).concat(`${DIR}/udev-rules/`));
  await lab.sh('mount', ['--bind', `${DIR}/udev-rules`, UDEV_RULES_DIR]);
  // no service activation: networkd would otherwise have the bus start hostnamed, and the lab shares the machine's hostname
  await lab.sh('tee', [`${DIR}/dbus.conf`], { input: DBUS_CONF, stdout: 'ignore' });
  await lab.sh('tee', ['/etc/udev/rules.d/90-kvmnet-lab-nic.rules'], { input: NIC_NAME_RULE, stdout: 'ignore' });
  for (const [name, text] of Object.entries(options.files)) await lab.sh('tee', [`/etc/systemd/network/${name}`], { input: text, stdout: 'ignore' });

  await lab.sh('dbus-daemon', [`--config-file=${DIR}/dbus.conf`, '--fork']);
  await lab.sh('/lib/systemd/systemd-udevd', ['--daemon']);
  await lab.sh('udevadm', ['trigger', '--action=add', '--subsystem-match=net']);
  await lab.sh('udevadm', ['settle', '--timeout=5']);

  const log = { text: '' };
  await launchNetworkd(lab, options.links, log);
  return {
    networkctl: (args) => lab.sh('networkctl', args),
    log: () => log.text,
    startupMs: performance.now() - started,
    async reboot(links) {
      // the lab has its own PID namespace: pidof sees only the lab's networkd
      const pid = (await lab.sh('pidof', ['systemd-networkd'])).trim();
      await lab.sh('kill', [pid]);
      await waitFor('networkd did not stop', async () => ((await lab.run('pidof', ['systemd-networkd'])).exitCode !== 0 ? true : undefined), 10_000);
      for (const link of LinkList.parse(JSON.parse(await lab.sh('ip', ['-j', '-d', 'link', 'show'])))) {
        if (link.ifname === 'lo') continue;
        if (link.linkinfo?.info_kind === 'veth') {
          await lab.sh('ip', ['addr', 'flush', 'dev', link.ifname]);
          await lab.sh('ip', ['link', 'set', link.ifname, 'nomaster', 'down']);
        } else await lab.sh('ip', ['link', 'del', link.ifname]);
      }
      await lab.sh('find', ['/run/systemd', '-mindepth', '1', '-delete']);
      log.text += '\n--- reboot ---\n';
      await launchNetworkd(lab, links, log);
    },
  };
}

/** Starts networkd in the foreground (there is no journal in the lab: it logs to `log`) and waits until it configured `links`. */
async function launchNetworkd(lab: Lab, links: readonly string[], log: { text: string }): Promise<void> {
  const networkd = lab.spawn('/lib/systemd/systemd-networkd', [], { stdin: 'ignore', buffer: false, reject: false, env: { SYSTEMD_LOG_TARGET: 'console' } });
  networkd.stderr?.on('data', (chunk: Buffer) => { log.text += chunk.toString(); });
  networkd.stdout?.on('data', (chunk: Buffer) => { log.text += chunk.toString(); });
  await waitFor(`networkd did not configure ${links.join(', ')}`, async () => {
    const states = await setupStates(lab);
    return links.every((l) => states.get(l) === 'configured') ? true : undefined;
  }, 15_000, () => log.text);
}
