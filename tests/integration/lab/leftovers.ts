import { readdir, readFile, readlink } from 'node:fs/promises';
import { expect } from 'vitest';
import { NAMESPACES } from '../../lab/topology';
import type { Lab } from '../../lab/lab';

export interface LabProcess { pid: number; name: string; pidNamespace: string }

async function describeProcess(pid: number): Promise<LabProcess | undefined> {
  try {
    return { pid, name: (await readFile(`/proc/${pid}/comm`, 'utf8')).trim(), pidNamespace: await readlink(`/proc/${pid}/ns/pid`) };
  } catch {
    return undefined;
  }
}

/** Every process in the lab's PID namespace, by host PID: what must be gone once the lab is closed. */
export async function processesInLab(lab: Lab): Promise<LabProcess[]> {
  const namespace = await readlink(`/proc/${lab.pid}/ns/pid`);
  const all = await Promise.all((await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map((d) => describeProcess(Number(d))));
  return all.filter((p): p is LabProcess => p?.pidNamespace === namespace);
}

/**
 * Those of the given processes that still exist (the same PID in the same namespace) after up to
 * graceMs: the kernel ends a PID namespace's processes a moment after its first process dies.
 */
export async function survivors(processes: readonly LabProcess[], graceMs: number): Promise<LabProcess[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const now = await Promise.all(processes.map((p) => describeProcess(p.pid)));
    const alive = processes.filter((p, i) => now[i]?.pidNamespace === p.pidNamespace);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The machine's own network links and named network namespaces (/run/netns), read without changing anything. */
export async function hostNetwork(): Promise<{ links: string[]; namespaces: string[] }> {
  return {
    links: (await readdir('/sys/class/net')).sort(),
    namespaces: (await readdir('/run/netns').catch(() => [] as string[])).sort(),
  };
}

/**
 * The machine has the same links as before, and none of the topology's namespace names: other
 * programs may add namespaces of their own meanwhile, so only the topology's names are checked.
 */
export function expectNoLeftovers(before: Awaited<ReturnType<typeof hostNetwork>>, after: Awaited<ReturnType<typeof hostNetwork>>): void {
  expect(after.links).toEqual(before.links);
  expect(after.namespaces.filter((n) => Object.values<string>(NAMESPACES).includes(n))).toEqual([]);
}
