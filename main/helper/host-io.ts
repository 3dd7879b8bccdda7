import { execa } from 'execa';
import { access, constants, readdir, readFile, writeFile } from 'node:fs/promises';
import { batchOutcome, type BatchOutcome } from './ip-line';
import { isOwned, parseIpAddrJson, toLinkMap, type LinkMap } from './link-facts';
import { perInterfaceSysctlPaths } from './sysctl-key';

/** Everything the helper reads from or does to the host, so the engine above it holds only logic. */
export interface HostIo {
  /** `sysctls` also reads the per-interface sysctls of owned links (needed before a delete) */
  readLinks(options?: { sysctls?: boolean }): Promise<LinkMap>;
  runIpBatch(lines: readonly string[]): Promise<BatchOutcome>;
  /** undefined when the file does not exist */
  readSysctl(path: string): Promise<string | undefined>;
  writeSysctl(path: string, value: string): Promise<void>;
  /** every net/<family>/conf/<x>/forwarding value */
  readForwarding(family: 'ipv4' | 'ipv6'): Promise<Record<string, string>>;
}

// root must not run whatever `ip` comes first in an inherited PATH
const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];
const TOOL_ENV = { LC_ALL: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
const IP_TIMEOUT_MS = 60_000;

let ipPath: Promise<string> | undefined;
function locateIp(): Promise<string> {
  ipPath ??= (async () => {
    for (const candidate of IP_CANDIDATES) {
      if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
    }
    throw new Error(`iproute2's ip was not found in ${IP_CANDIDATES.join(', ')}; install the iproute2 package`);
  })();
  return ipPath;
}

async function runIp(args: readonly string[], input?: string) {
  return execa(await locateIp(), args, { input, reject: false, timeout: IP_TIMEOUT_MS, extendEnv: false, env: TOOL_ENV, stripFinalNewline: false });
}

const readTrimmed = (path: string): Promise<string | undefined> => readFile(path, 'utf8').then((s) => s.trim(), () => undefined);

export const procSysHostIo: HostIo = {
  async readLinks(options = {}) {
    const r = await runIp(['-j', '-d', 'addr', 'show']);
    if (r.exitCode !== 0) throw new Error(`ip -j -d addr show failed: ${String(r.stderr).trim()}`);
    const links = parseIpAddrJson(String(r.stdout));
    for (const link of links) {
      if (link.kind === 'tap') {
        const owner = Number(await readTrimmed(`/sys/class/net/${link.name}/owner`));
        if (Number.isInteger(owner) && owner >= 0) link.tapUser = owner;
      }
      if (options.sysctls && isOwned(link) && link.kind !== 'other') {
        const sysctls: Record<string, string> = {};
        for (const path of perInterfaceSysctlPaths(link.name)) {
          const value = await readTrimmed(`/proc/sys/${path}`);
          if (value !== undefined) sysctls[path] = value;
        }
        link.sysctls = sysctls;
      }
    }
    return toLinkMap(links);
  },

  async runIpBatch(lines) {
    const r = await runIp(['-batch', '-'], `${lines.join('\n')}\n`);
    return batchOutcome(r.exitCode ?? -1, String(r.stderr ?? '') || (r.timedOut ? 'ip timed out' : ''));
  },

  readSysctl: (path) => readTrimmed(`/proc/sys/${path}`),

  async writeSysctl(path, value) {
    // r+ opens without O_CREAT: a missing key fails instead of being created somewhere
    await writeFile(`/proc/sys/${path}`, `${value}\n`, { flag: 'r+' });
  },

  async readForwarding(family) {
    const values: Record<string, string> = {};
    for (const entry of await readdir(`/proc/sys/net/${family}/conf`)) {
      const path = `net/${family}/conf/${entry}/forwarding`;
      const value = await readTrimmed(`/proc/sys/${path}`);
      if (value !== undefined) values[path] = value;
    }
    return values;
  },
};
