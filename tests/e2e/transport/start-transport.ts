import type { Lab } from '../../lab/lab';
import { childPids } from '../../lab/process-tree';
import type { TransportBuild } from './build-transport';

export interface Transport {
  /** the renderer's address, reachable only from inside the lab */
  url: string;
  /** resolves once the page has opened its event stream, so pushed changes will reach it */
  eventClient(): Promise<void>;
  /** everything the server wrote, for failure messages */
  log(): string;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Runs the transport server with node inside the lab, so it observes the lab's network, not the
 * machine's. `env` adds to its environment (KVMNET_E2E_DESKTOP_UID: see server.ts).
 */
export async function startTransport(lab: Lab, built: TransportBuild, env: Record<string, string> = {}): Promise<Transport> {
  const child = lab.spawn(process.execPath, [built.server, built.renderer, built.helper], {
    reject: false,
    buffer: false,
    stdin: 'ignore',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  let output = '';
  let eventClients = 0;
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    eventClients = Math.max(eventClients, ...[...output.matchAll(/^EVENTS (\d+)$/gm)].map((m) => Number(m[1])));
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const until = <T>(test: () => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`transport server: ${what} within ${START_TIMEOUT_MS / 1000} s:\n${output}`)); }, START_TIMEOUT_MS);
      const check = () => {
        const value = test();
        if (value !== undefined) { clearTimeout(timer); waiters.delete(check); resolve(value); }
      };
      waiters.add(check);
      void child.then(() => { clearTimeout(timer); waiters.delete(check); reject(new Error(`transport server exited:\n${output}`)); });
      check();
    });

  const port = await until(() => /^LISTENING (\d+)$/m.exec(output)?.[1], 'no port');
  return {
    url: `http://127.0.0.1:${port}/`,
    eventClient: () => until(() => (eventClients > 0 ? true : undefined), 'no event client').then(() => undefined),
    log: () => output,
    async close() {
      // nsenter does not forward signals, so node (its only child) is signalled by its own PID; on
      // SIGTERM it closes the helper's stdin before exiting, and nsenter then exits with it
      const [pid] = await childPids(child.pid!);
      const signal = (name: NodeJS.Signals) => { if (pid) try { process.kill(pid, name); } catch { /* already gone */ } };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), STOP_TIMEOUT_MS);
      await child;
      clearTimeout(timer);
    },
  };
}
