import { createInterface } from 'node:readline';
import { addLaptopLan } from '../tests/lab/laptop-lan';
import type { ResultPromise } from 'execa';
import { readHostState, type HostState } from '../tests/lab/host-state';
import { startLab, type Lab } from '../tests/lab/lab';
import { startLibvirtd } from '../tests/lab/libvirtd';
import { AgentResponse, type AgentRequest } from './agent-protocol';

/**
 * A laptop with eth0 on a LAN and the default route (tests/lab/laptop-lan.ts),
 * with libvirtd running, so every contender, KVMNet included, meets a host with libvirt on it.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BenchLab {
  lab: Lab;
  ask(request: AgentRequest): Promise<AgentResponse>;
  /** the host as readHostState sees it, without packet counters (the lab's own IPv6 chatter moves them) */
  state(): Promise<HostState>;
  dnsmasqCount(): Promise<number>;
  close(): Promise<void>;
}

export async function startBenchLab(agentPath: string): Promise<BenchLab> {
  const lab = await startLab();
  let agent: ResultPromise | undefined;
  try {
    await addLaptopLan(lab);
    await startLibvirtd(lab);
    await settle(lab);
    agent = lab.spawn(process.execPath, [agentPath], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', buffer: false, reject: false });
  } catch (e) {
    await lab.close();
    throw e;
  }
  const running = agent;
  const lines = createInterface({ input: running.stdout! })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  const ask = (request: AgentRequest): Promise<AgentResponse> => {
    const reply = queue.then(async () => {
      running.stdin!.write(`${JSON.stringify(request)}\n`);
      const next = await lines.next();
      if (next.done) throw new Error('the bench agent ended before answering');
      return AgentResponse.parse(JSON.parse(next.value));
    });
    queue = reply.then(() => undefined, () => undefined);
    return reply;
  };
  return {
    lab,
    ask,
    state: async () => {
      const host = await readHostState(lab);
      return { ...host, nftables: host.nftables.replace(/counter packets \d+ bytes \d+/g, 'counter') };
    },
    dnsmasqCount: async () => (await lab.run('pgrep', ['-x', 'dnsmasq'])).stdout.split('\n').filter(Boolean).length,
    async close() {
      running.stdin!.end();
      await running;
      await lab.close();
    },
  };
}

/** a bridge loses its carrier after a moment and IPv6 addresses finish duplicate address detection later still */
async function settle(lab: Lab): Promise<void> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    const now = (await Promise.all([lab.sh('ip', ['-o', 'link']), lab.sh('ip', ['-o', 'addr'])])).join('');
    if (now === last && !now.includes('tentative')) return;
    last = now;
    await sleep(250);
  }
  throw new Error('the lab\'s links and addresses kept changing for 25 s');
}
