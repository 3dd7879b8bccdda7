import { chmodSync, closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TOOL_CANDIDATES, type HelperTool } from '../core/paths';
import { batchOutcome, type BatchOutcome } from './ip-line';
import { isOwned, parseIpAddrJson, toLinkMap, type LinkMap } from './link-facts';
import { perInterfaceSysctlPaths } from './sysctl-key';
import { linksFromSysfs, sysfsShowsThisNamespace, type SysfsLink } from './sysfs-links';
import { startTool, type StartedTool, type ToolResult } from './tool-process';

export type { ToolResult } from './tool-process';

/**
 * The tools an apply may start ahead of their steps (HostIo.startAhead): each takes all its work
 * from standard input, so until a step feeds it, it does nothing.
 */
export const AHEAD_TOOLS = {
  ipBatch: { tool: 'ip', args: ['-batch', '-'] },
  nftScript: { tool: 'nft', args: ['-f', '-'] },
} as const satisfies Record<string, { tool: HelperTool; args: readonly string[] }>;
export type AheadTool = keyof typeof AHEAD_TOOLS;

/**
 * Where an atomic write of `path` stages its content: one fixed name per target, so that the undo
 * of a step killed mid-write knows which leftover to remove.
 */
export const stagingPath = (path: string): string => `${path}.kvmnet-tmp`;

/** what is at a path where KVMNet keeps a symlink */
export type LinkAt = { kind: 'absent' } | { kind: 'symlink'; target: string } | { kind: 'other' };

/** Everything the helper reads from or does to the host, so the engine above it holds only logic. */
export interface HostIo {
  /** `sysctls` also reads the per-interface sysctls of owned links (needed before a delete) */
  readLinks(options?: { sysctls?: boolean }): Promise<LinkMap>;
  /**
   * The links as readLinks gives them but with no addresses (every `addresses` empty), from sysfs
   * without starting a process (sysfs-links.ts); undefined when the sysfs mounted here shows
   * another network namespace, where only readLinks can tell.
   */
  readLinksWithoutAddresses(): Promise<LinkMap | undefined>;
  runIpBatch(lines: readonly string[]): Promise<BatchOutcome>;
  /**
   * Sets a link up as `ip link set up` does (the kernel's dev_change_flags), by writing its flags
   * in sysfs, without starting a process. Only when /sys/class/net/<name> is the link with `mac`:
   * a sysfs mounted for another network namespace shows that namespace's links. false when it is
   * not (or the write fails): nothing changed, and the caller uses ip.
   */
  setUpThroughSysfs(name: string, mac: string): Promise<boolean>;
  /** undefined when the file does not exist */
  readSysctl(path: string): Promise<string | undefined>;
  writeSysctl(path: string, value: string): Promise<void>;
  /** every net/<family>/conf/<x>/forwarding value */
  readForwarding(family: 'ipv4' | 'ipv6'): Promise<Record<string, string>>;

  /** runs a tool (ip only to read: changes go through runIpBatch) by absolute path with an argument array (never a shell); never rejects on a non-zero exit */
  runTool(tool: HelperTool, args: readonly string[], input?: string): Promise<ToolResult>;
  /**
   * Starts these tools now, so their start-up overlaps the work before their steps: the next
   * runIpBatch, or runTool with the same tool and arguments, feeds a started one instead of
   * starting another. Returns a function that closes the input of those no step fed: with nothing
   * to read they do nothing and exit.
   */
  startAhead(tools: readonly AheadTool[]): () => Promise<void>;
  /** undefined when the file does not exist */
  readText(path: string): Promise<string | undefined>;
  /** replaces the file whole or not at all; missing parent directories are created 0755 */
  writeTextAtomic(path: string, text: string, mode: number): Promise<void>;
  /** nothing happens when the file is already gone */
  removeFile(path: string): Promise<void>;
  /** creates the directory and missing parents 0755 (whatever the umask); existing ones are left as they are */
  makeDirectory(path: string): Promise<void>;
  readLinkAt(path: string): Promise<LinkAt>;
  /** replaces whatever symlink is at `path` in one rename */
  writeSymlink(path: string, target: string): Promise<void>;
  /** argv of a live process; undefined when there is none (or only a zombie) */
  processCommandLine(pid: number): Promise<string[] | undefined>;
  /** 'dead' once the process has released its files and sockets: gone, or a zombie */
  processState(pid: number): Promise<'alive' | 'dead'>;
  signal(pid: number, signal: NodeJS.Signals): void;
}

// root must not run whatever comes first in an inherited PATH
const TOOL_ENV = { LC_ALL: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
const TOOL_TIMEOUT_MS = 60_000;
/** include/uapi/linux/if.h */
const IFF_UP = 0x1;
/** a host's whole `ip -j -d addr show` is far below this */
const TOOL_MAX_BUFFER = 64 * 1024 * 1024;

const PACKAGE_OF: Record<HelperTool, string> = {
  ip: 'package iproute2',
  nft: 'package nftables',
  dnsmasq: 'package dnsmasq-base on Debian/Ubuntu, dnsmasq on Fedora',
  virsh: 'package libvirt-clients on Debian/Ubuntu, libvirt-client on Fedora',
  nmcli: 'package network-manager on Debian/Ubuntu, NetworkManager on Fedora',
  busctl: 'package systemd',
  iptables: 'package iptables',
  networkctl: 'package systemd',
};

const located = new Map<HelperTool, Promise<string>>();
function locate(tool: HelperTool): Promise<string> {
  let path = located.get(tool);
  if (!path) {
    path = (async () => {
      for (const candidate of TOOL_CANDIDATES[tool]) {
        if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
      }
      throw new Error(`${tool} was not found in ${TOOL_CANDIDATES[tool].join(', ')}; install it (${PACKAGE_OF[tool]})`);
    })();
    located.set(tool, path);
  }
  return path;
}

const LIMITS = { env: TOOL_ENV, timeoutMs: TOOL_TIMEOUT_MS, maxBuffer: TOOL_MAX_BUFFER };
const toolKey = (tool: HelperTool, args: readonly string[]) => [tool, ...args].join('\0');

/** tools started ahead and not fed yet, by tool and arguments */
const ahead = new Map<string, Promise<StartedTool>[]>();

/**
 * node's own child_process rather than execa: the helper starts a handful of short tools per
 * apply, and execa's extra machinery costs about 1.5 ms of a 3–5 ms run each time.
 */
async function run(tool: HelperTool, args: readonly string[], input?: string): Promise<ToolResult> {
  const started = ahead.get(toolKey(tool, args))?.shift();
  return (await (started ?? start(tool, args))).feed(input);
}

async function start(tool: HelperTool, args: readonly string[]): Promise<StartedTool> {
  return startTool(await locate(tool), tool, args, LIMITS);
}

function startAhead(tools: readonly AheadTool[]): () => Promise<void> {
  const mine = tools.map((name) => {
    const { tool, args } = AHEAD_TOOLS[name];
    const started = start(tool, args);
    // a tool that cannot be found fails the step that would feed it, as a tool started then would
    started.catch(() => undefined);
    const key = toolKey(tool, args);
    ahead.set(key, [...(ahead.get(key) ?? []), started]);
    return { key, started };
  });
  return async () => {
    const unfed = mine.filter(({ key, started }) => ahead.get(key)?.includes(started));
    for (const { key, started } of unfed) ahead.set(key, ahead.get(key)!.filter((s) => s !== started));
    await Promise.allSettled(unfed.map(async ({ started }) => (await started).feed()));
  };
}

/**
 * Small files (sysfs, /proc, KVMNet's own files of a few hundred bytes) are read and written with
 * synchronous calls: each asynchronous call is a round trip through libuv's thread pool, and on a
 * busy machine waiting for a pool thread and then for the main thread to be scheduled again costs
 * far more than the call itself (an atomic write is eight of them). The helper serves one request
 * at a time, and its tools run as separate processes that a blocked event loop does not slow down.
 */
function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const readTrimmed = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

function makeDirectory(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: 0o755 });
  if (first === undefined) return;
  // mkdir's mode is filtered by the umask; only the directories created here are adjusted
  for (let dir = path; dir.length >= first.length; dir = dirname(dir)) chmodSync(dir, 0o755);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeFile(path: string): void {
  rmSync(path, { force: true });
  try {
    syncDir(dirname(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

const SYSFS_NET = '/sys/class/net';

function readSysfsLink(name: string): SysfsLink | undefined {
  const dir = `${SYSFS_NET}/${name}`;
  const ifindex = readTrimmed(`${dir}/ifindex`);
  // not a link (bonding_masters), or gone since the directory was listed
  if (ifindex === undefined) return undefined;
  const file = (f: string) => readTrimmed(`${dir}/${f}`);
  let master: string | undefined;
  try {
    master = readlinkSync(`${dir}/master`);
  } catch {
    master = undefined;
  }
  // only a bridge has bridge/
  const stpState = file('bridge/stp_state');
  const bridge = stpState === undefined ? undefined : { stpState, forwardDelay: file('bridge/forward_delay') };
  return {
    name, ifindex, master, bridge,
    iflink: file('iflink'), type: file('type'), address: file('address'), mtu: file('mtu'), flags: file('flags'),
    ifalias: file('ifalias'), tunFlags: file('tun_flags'), owner: file('owner'),
  };
}

/** replaces `path` whole or not at all, durably: staged, synced, renamed, the directory synced */
function writeTextAtomic(path: string, text: string, mode: number): void {
  const dir = dirname(path);
  makeDirectory(dir);
  const temporary = stagingPath(path);
  const fd = openSync(temporary, 'w', mode);
  try {
    writeFileSync(fd, text);
    // open's mode is filtered by the umask
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameIntoPlace(temporary, path);
}

/** the staged `temporary` takes `path`'s place (or is removed when it cannot), and the directory is synced */
function renameIntoPlace(temporary: string, path: string): void {
  try {
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
  syncDir(dirname(path));
}

export const procSysHostIo: HostIo = {
  async readLinks(options = {}) {
    const r = await run('ip', ['-j', '-d', 'addr', 'show']);
    if (r.exitCode !== 0) throw new Error(`ip -j -d addr show failed: ${r.stderr.trim()}`);
    const links = parseIpAddrJson(r.stdout);
    for (const link of links) {
      if (link.kind === 'tap') {
        const owner = Number(readTrimmed(`/sys/class/net/${link.name}/owner`));
        if (Number.isInteger(owner) && owner >= 0) link.tapUser = owner;
      }
      if (options.sysctls && isOwned(link) && link.kind !== 'other') {
        const sysctls: Record<string, string> = {};
        for (const path of perInterfaceSysctlPaths(link.name)) {
          const value = readTrimmed(`/proc/sys/${path}`);
          if (value !== undefined) sysctls[path] = value;
        }
        link.sysctls = sysctls;
      }
    }
    return toLinkMap(links);
  },

  async readLinksWithoutAddresses() {
    const raw = readdirSync(SYSFS_NET).flatMap((name) => readSysfsLink(name) ?? []);
    const proc = (file: string) => readIfPresent(`/proc/self/net/${file}`) ?? '';
    if (!sysfsShowsThisNamespace(raw, proc('dev'), proc('if_inet6'), proc('dev_mcast'))) return undefined;
    return toLinkMap(linksFromSysfs(raw));
  },

  async runIpBatch(lines) {
    const r = await run(AHEAD_TOOLS.ipBatch.tool, AHEAD_TOOLS.ipBatch.args, `${lines.join('\n')}\n`);
    return batchOutcome(r.exitCode, r.stderr);
  },

  async setUpThroughSysfs(name, mac) {
    const dir = `/sys/class/net/${name}`;
    const [address, flags] = [readTrimmed(`${dir}/address`), readTrimmed(`${dir}/flags`)];
    if (address !== mac || flags === undefined || !/^0x[0-9a-f]+$/.test(flags)) return false;
    try {
      writeFileSync(`${dir}/flags`, `0x${(Number(flags) | IFF_UP).toString(16)}\n`, { flag: 'r+' });
      return true;
    } catch {
      return false;
    }
  },

  readSysctl: async (path) => readTrimmed(`/proc/sys/${path}`),

  async writeSysctl(path, value) {
    // r+ opens without O_CREAT: a missing key fails instead of being created somewhere
    writeFileSync(`/proc/sys/${path}`, `${value}\n`, { flag: 'r+' });
  },

  async readForwarding(family) {
    const paths = readdirSync(`/proc/sys/net/${family}/conf`).map((entry) => `net/${family}/conf/${entry}/forwarding`);
    return Object.fromEntries(paths.flatMap((path) => {
      const value = readTrimmed(`/proc/sys/${path}`);
      return value === undefined ? [] : [[path, value]];
    }));
  },

  runTool: run,

  startAhead,

  readText: async (path) => readIfPresent(path),

  writeTextAtomic: async (path, text, mode) => writeTextAtomic(path, text, mode),

  makeDirectory: async (path) => makeDirectory(path),

  removeFile: async (path) => removeFile(path),

  async readLinkAt(path) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
      throw e;
    }
    if (!stat.isSymbolicLink()) return { kind: 'other' };
    return { kind: 'symlink', target: readlinkSync(path) };
  },

  async writeSymlink(path, target) {
    const dir = dirname(path);
    makeDirectory(dir);
    const temporary = stagingPath(path);
    rmSync(temporary, { force: true });
    symlinkSync(target, temporary);
    renameIntoPlace(temporary, path);
  },

  async processCommandLine(pid) {
    // a zombie's cmdline is empty: it is as good as gone
    let raw = '';
    try {
      raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // gone
    }
    const argv = raw.split('\0');
    if (argv.at(-1) === '') argv.pop();
    return argv.length > 0 ? argv : undefined;
  },

  async processState(pid) {
    let stat: string | undefined;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      stat = undefined;
    }
    // the state letter follows the command name, which may itself contain ')'
    const state = stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return stat === undefined || state === 'Z' || state === 'X' ? 'dead' : 'alive';
  },

  signal(pid, signal) {
    process.kill(pid, signal);
  },
};
