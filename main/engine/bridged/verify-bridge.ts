import { createSocket } from 'node:dgram';
import { z } from 'zod';
import type { RunCommand } from '../../host/network-manager/nm-command';

/**
 * The checks after a cut-over, as `netplan try` leaves them to the user and KVMNet makes them
 * itself: the link has its IPv4 address and default route, the default gateway answers ARP from
 * it (a neighbour entry confirmed REACHABLE after KVMNet sent it traffic), and DNS is what it was.
 */

export interface VerifyRequest {
  /** the link that must now carry the host's LAN connection */
  readonly dev: string;
  readonly budgetMs: number;
  /** DNS servers before the change; undefined: not checked */
  readonly dnsBefore?: readonly string[];
  readonly readDns?: () => Promise<readonly string[]>;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** what was checked and found, one sentence each */
  readonly checks: readonly string[];
  readonly failure?: string;
}

const Routes = z.array(z.looseObject({ dst: z.string(), gateway: z.string().optional(), dev: z.string().optional() }));
const Addrs = z.array(z.looseObject({ addr_info: z.array(z.looseObject({ family: z.string(), local: z.string(), prefixlen: z.number(), scope: z.string() })).default([]) }));
const Neighbours = z.array(z.looseObject({ dst: z.string(), lladdr: z.string().optional(), state: z.array(z.string()).optional() }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll<T>(until: number, probe: () => Promise<T | undefined>, everyMs = 250): Promise<T | undefined> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined || Date.now() >= until) return value;
    await sleep(everyMs);
  }
}

/** one UDP datagram to the discard port: enough for the kernel to resolve the gateway's MAC */
function nudge(address: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.send(Buffer.from('kvmnet'), 9, address, () => {
      socket.close();
      resolve();
    });
    socket.on('error', () => {
      socket.close();
      resolve();
    });
  });
}

const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

export async function verifyLanLink(request: VerifyRequest, run: RunCommand): Promise<VerifyResult> {
  const until = Date.now() + request.budgetMs;
  const ipJson = async (args: string[]) => JSON.parse((await run('ip', ['-j', ...args])) || '[]') as unknown;
  const checks: string[] = [];

  const address = await poll(until, async () => {
    const [link] = Addrs.parse(await ipJson(['-4', 'addr', 'show', 'dev', request.dev]));
    const found = link?.addr_info.find((a) => a.family === 'inet' && a.scope === 'global');
    return found ? `${found.local}/${found.prefixlen}` : undefined;
  });
  if (!address) return { ok: false, checks, failure: `${request.dev} got no IPv4 address within ${request.budgetMs / 1000} s` };
  checks.push(`${request.dev} has ${address}`);

  const gateway = await poll(until, async () =>
    Routes.parse(await ipJson(['-4', 'route', 'show', 'default'])).find((r) => r.dev === request.dev && r.gateway)?.gateway);
  if (!gateway) return { ok: false, checks, failure: `there is no default route through ${request.dev}` };
  checks.push(`the default route goes through ${request.dev} to ${gateway}`);

  // the kernel gives up on an address after 3 ARP probes a second apart; three rounds of that are plenty
  const answer = await poll(Math.min(until, Date.now() + 10_000), async () => {
    await nudge(gateway);
    const [entry] = Neighbours.parse(await ipJson(['neigh', 'show', 'to', gateway, 'dev', request.dev]));
    return entry?.lladdr && entry.state?.some((s) => s === 'REACHABLE' || s === 'PERMANENT') ? entry.lladdr : undefined;
  }, 500);
  if (!answer) return { ok: false, checks, failure: `the gateway ${gateway} does not answer from ${request.dev}` };
  checks.push(`the gateway ${gateway} answers from ${request.dev} (ARP: ${answer})`);

  if (request.dnsBefore && request.readDns) {
    const before = request.dnsBefore;
    const read = request.readDns;
    const dns = await poll(until, async () => {
      const now = await read();
      return sameSet(now, before) ? now : undefined;
    });
    if (!dns) return { ok: false, checks, failure: `DNS changed: it was ${before.join(', ') || 'none'} and is now ${(await read().catch(() => [])).join(', ') || 'none'}` };
    checks.push(`DNS unchanged (${dns.join(', ') || 'none'})`);
  }
  return { ok: true, checks };
}
