import { basename } from 'node:path';
import { NetworkSpec } from '../core/network/network-spec';
import { dnsmasqConfPath, dnsmasqHostsPath, dnsmasqPidPath, dnsmasqSpecPath, LEASES_DIR } from '../core/paths';
import { renderDhcpHostsFile, renderDnsmasqConf } from '../core/render/dnsmasq-conf';
import type { HostIo } from './host-io';
import { readJsonFile } from './read-json-file';

/**
 * The dnsmasq of a direct network: a daemon of its own (started with --conf-file, it forks,
 * detaches and outlives the helper), known by its pid file. A pid is trusted only when
 * /proc/<pid>/cmdline is dnsmasq started with this network's configuration file: a stale pid file
 * whose number now belongs to another process never gets that process killed.
 */

const STOP_WAIT_MS = 5000;
const KILL_WAIT_MS = 2000;
const START_WAIT_MS = 1000;
/** dnsmasq exits a few ms after SIGTERM: polls start at 1 ms and double up to 20 ms, so a quick exit is not waited on for 20 ms */
const FIRST_POLL_MS = 1;
const MAX_POLL_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** resolves with the first answer `probe` gives other than undefined, or undefined once `ms` have passed */
async function poll<T>(ms: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (let interval = FIRST_POLL_MS; ; interval = Math.min(interval * 2, MAX_POLL_MS)) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() >= deadline) return undefined;
    await sleep(interval);
  }
}

const isOurs = (argv: readonly string[] | undefined, network: string): boolean =>
  argv !== undefined && basename(argv[0] ?? '') === 'dnsmasq' && argv.includes(`--conf-file=${dnsmasqConfPath(network)}`);

/** the pid of the network's dnsmasq, or undefined when none runs */
export async function runningDnsmasq(io: HostIo, network: string): Promise<number | undefined> {
  const text = (await io.readText(dnsmasqPidPath(network)))?.trim();
  if (text === undefined || !/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  const pid = Number(text);
  return isOurs(await io.processCommandLine(pid), network) ? pid : undefined;
}

/** the spec the running dnsmasq was started from, for restarting it after a stop is undone */
export async function startedSpec(io: HostIo, network: string): Promise<NetworkSpec | undefined> {
  const spec = await readJsonFile(io, dnsmasqSpecPath(network), NetworkSpec);
  return spec?.name === network ? spec : undefined;
}

/** starts the network's dnsmasq and resolves with its pid; dnsmasq's own complaint is the error */
export async function startDnsmasq(io: HostIo, spec: NetworkSpec): Promise<number> {
  const conf = dnsmasqConfPath(spec.name);
  // distinct files, written side by side; all are settled before a failure is thrown, so that the
  // undo (which removes every one of them) never runs while a write could still land after it
  const written = await Promise.allSettled([
    io.writeTextAtomic(dnsmasqSpecPath(spec.name), `${JSON.stringify(spec)}\n`, 0o644),
    io.writeTextAtomic(dnsmasqHostsPath(spec.name), renderDhcpHostsFile(spec), 0o644),
    io.writeTextAtomic(conf, renderDnsmasqConf(spec), 0o644),
    io.removeFile(dnsmasqPidPath(spec.name)),
    io.makeDirectory(LEASES_DIR),
  ]);
  const failed = written.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  // dnsmasq reports a startup failure (cannot bind, bad option) through its exit status once the daemon gave up
  const r = await io.runTool('dnsmasq', [`--conf-file=${conf}`]);
  if (r.exitCode !== 0) {
    const said = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
    throw new Error(`dnsmasq could not start on ${spec.bridge}: ${said || `exit ${r.exitCode}`}`);
  }
  const pid = await poll(START_WAIT_MS, () => runningDnsmasq(io, spec.name));
  if (pid !== undefined) return pid;
  throw new Error(`dnsmasq reported a start on ${spec.bridge} but no dnsmasq with ${conf} is running`);
}

/** the process may have exited between the check and the signal */
function signal(io: HostIo, pid: number, name: NodeJS.Signals): void {
  try {
    io.signal(pid, name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * Waits until the process has let go of its sockets, so a dnsmasq started next can bind. A dying
 * process's cmdline is emptied before its sockets close: wait for it to be gone or a zombie. A
 * pid already reused by another program (a cmdline that is not ours) has exited too.
 */
async function waitForExit(io: HostIo, pid: number, network: string, ms: number): Promise<boolean> {
  const exited = await poll(ms, async () => {
    if ((await io.processState(pid)) === 'dead') return true;
    const argv = await io.processCommandLine(pid);
    return argv !== undefined && !isOurs(argv, network) ? true : undefined;
  });
  return exited === true;
}

/** stops the network's dnsmasq if it runs, and removes its runtime files; resolves with what it did */
export async function stopDnsmasq(io: HostIo, network: string): Promise<string> {
  const pid = await runningDnsmasq(io, network);
  if (pid !== undefined) {
    signal(io, pid, 'SIGTERM');
    if (!(await waitForExit(io, pid, network, STOP_WAIT_MS))) {
      signal(io, pid, 'SIGKILL');
      if (!(await waitForExit(io, pid, network, KILL_WAIT_MS))) throw new Error(`dnsmasq ${pid} of network ${network} did not exit`);
    }
  }
  for (const path of [dnsmasqPidPath(network), dnsmasqConfPath(network), dnsmasqSpecPath(network), dnsmasqHostsPath(network)]) await io.removeFile(path);
  return pid === undefined ? 'no dnsmasq was running' : `dnsmasq ${pid} stopped`;
}

/**
 * Gives the running dnsmasq the reservations of `spec`: its dhcp-hostsfile is rewritten and reread
 * on SIGHUP, so leases and the daemon stay. The saved spec follows, so a dnsmasq restarted after
 * an undone stop serves the same reservations.
 */
export async function reloadDnsmasqHosts(io: HostIo, spec: NetworkSpec): Promise<number> {
  const pid = await runningDnsmasq(io, spec.name);
  if (pid === undefined) throw new Error(`no dnsmasq runs for network ${spec.name}; its reservations take effect when it starts`);
  // a dnsmasq started by an earlier KVMNet reads no hosts file: a SIGHUP would change nothing
  if (!(await io.readText(dnsmasqConfPath(spec.name)))?.includes(`dhcp-hostsfile=${dnsmasqHostsPath(spec.name)}\n`)) {
    throw new Error(`the dnsmasq of network ${spec.name} was started without a reservations file (by an earlier KVMNet); stop and start the network once, then reserve again`);
  }
  await io.writeTextAtomic(dnsmasqSpecPath(spec.name), `${JSON.stringify(spec)}\n`, 0o644);
  await io.writeTextAtomic(dnsmasqHostsPath(spec.name), renderDhcpHostsFile(spec), 0o644);
  signal(io, pid, 'SIGHUP');
  return pid;
}
