import { expect } from 'vitest';
import type { Lab } from '../../lab/lab';
import { readHostState, type HostState } from '../../lab/host-state';

/**
 * readHostState leaves out interface indexes but lists links in index order; a link recreated by
 * a rollback has a new index, so links are compared by name.
 */
export const comparable = (state: HostState): HostState => ({
  ...state,
  links: [...state.links].sort((a, b) => String((a as { name: string }).name).localeCompare(String((b as { name: string }).name))),
});

/** readHostState, links by name */
export const hostState = async (lab: Lab): Promise<HostState> => comparable(await readHostState(lab));
const read = hostState;

/**
 * IPv6 duplicate address detection adds an address's local route a second or two after the
 * address; without it the kernel's IPv6 state follows each change at once. Lab only.
 */
export async function skipDuplicateAddressDetection(lab: Lab): Promise<void> {
  for (const scope of ['all', 'default']) await lab.sh('sysctl', ['-qw', `net.ipv6.conf.${scope}.accept_dad=0`]);
}

/** linkwatch reports carrier changes (and so link-local addresses) at most once a second */
const LINKWATCH_MS = 1200;

/**
 * Some changes land a moment after the command returns (carrier, link-local addresses), so a
 * state counts as settled when two reads a linkwatch period apart agree, and a restored state is
 * awaited for a short while before it is called different.
 */
export async function settledHostState(lab: Lab): Promise<HostState> {
  let previous = await read(lab);
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, LINKWATCH_MS));
    const current = await read(lab);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  throw new Error('the lab host state did not settle');
}

export async function expectHostStateToBecome(lab: Lab, expected: HostState, timeoutMs = 2 * LINKWATCH_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let current = await read(lab);
  while (JSON.stringify(current) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    current = await read(lab);
  }
  expect(current).toEqual(expected);
}

export interface IpLinkJson {
  ifname: string; flags: string[]; mtu: number; address?: string; master?: string; ifalias?: string; link?: string;
  linkinfo?: { info_kind?: string; info_data?: { type?: string; stp_state?: number } };
}

export async function linkOf(lab: Lab, name: string): Promise<IpLinkJson | undefined> {
  const r = await lab.run('ip', ['-j', '-d', 'link', 'show', 'dev', name]);
  return r.exitCode === 0 ? (JSON.parse(r.stdout) as IpLinkJson[])[0] : undefined;
}

export async function addressesOf(lab: Lab, name: string): Promise<string[]> {
  const [link] = JSON.parse(await lab.sh('ip', ['-j', 'addr', 'show', 'dev', name])) as { addr_info: { local: string; prefixlen: number }[] }[];
  return (link?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

export const sysctlOf = async (lab: Lab, path: string): Promise<string> => (await lab.sh('cat', [`/proc/sys/${path}`])).trim();
