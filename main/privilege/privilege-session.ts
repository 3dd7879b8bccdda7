import { KvmnetError } from '../core/kvmnet-error';
import type { PrivilegeState } from '../core/privilege-state';
import { classifyElevationFailure, type ElevationFailure } from './classify-elevation';
import type { ElevationStrategy } from './elevation-strategy';
import { HelperClient } from './helper-client';
import { HelperGoneError } from './helper-errors';

/** The way to get root for one attempt, or why there is none. Decided afresh at each attempt. */
export type ElevationPick = { strategy: ElevationStrategy } | { unavailable: string };

class ReadyTimeout extends Error {}

function timeout(ms: number | undefined): { promise: Promise<never>; cancel(): void } {
  if (ms === undefined) return { promise: new Promise<never>(() => undefined), cancel: () => undefined };
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadyTimeout(`it did not answer within ${ms / 1000} s`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * The session's one root helper. States: read-only → elevating → elevated | refused. Concurrent
 * elevate() calls share one attempt, so the user sees one password dialog; once elevated, no
 * further dialog for the rest of the session. After a refusal (or a helper that dies) the app
 * stays usable read-only, and only an explicit elevate() tries again.
 */
export class PrivilegeSession {
  private current: PrivilegeState = { status: 'read-only' };
  private attempt: Promise<PrivilegeState> | undefined;
  private client: HelperClient | undefined;
  private readonly listeners = new Set<(state: PrivilegeState) => void>();

  constructor(private readonly pick: () => Promise<ElevationPick>) {}

  state(): PrivilegeState {
    return this.current;
  }

  /** called with every new state; returns the unsubscribe function */
  subscribe(listener: (state: PrivilegeState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  elevate(): Promise<PrivilegeState> {
    if (this.current.status === 'elevated') return Promise.resolve(this.current);
    this.attempt ??= this.run().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }

  /** The helper of this session; throws NOT_ELEVATED when there is none (the UI offers to elevate). */
  helper(): HelperClient {
    if (!this.client) throw new KvmnetError('NOT_ELEVATED', 'This change needs administrator rights: choose "Allow changes" first.');
    return this.client;
  }

  /** Lets the helper finish and exit (its stdin closes); the session is read-only afterwards. */
  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.set({ status: 'read-only' });
      await client.dispose();
    }
  }

  private set(state: PrivilegeState): PrivilegeState {
    this.current = state;
    for (const listener of this.listeners) listener(state);
    return state;
  }

  private fail(failure: ElevationFailure): PrivilegeState {
    return this.set(classifyElevationFailure(failure));
  }

  private async run(): Promise<PrivilegeState> {
    const pick = await this.pick();
    if ('unavailable' in pick) return this.fail({ kind: 'no-means', detail: pick.unavailable });
    const { method, readyTimeoutMs } = pick.strategy;
    this.set({ status: 'elevating', method });

    let client: HelperClient;
    try {
      client = new HelperClient(await pick.strategy.launch());
    } catch (e) {
      return this.fail({ kind: 'launch-failed', method, detail: e instanceof Error ? e.message : String(e) });
    }

    const limit = timeout(readyTimeoutMs);
    try {
      const answer = await Promise.race([client.ping(), limit.promise]);
      if (answer.uid !== 0) {
        void client.dispose();
        return this.fail({ kind: 'bad-answer', method, detail: `it runs as uid ${answer.uid}, not as root` });
      }
      this.client = client;
      void client.exited.then((exit) => {
        if (this.client !== client) return;
        this.client = undefined;
        this.fail({ kind: 'exited', method, exit });
      });
      return this.set({ status: 'elevated', method, helperPid: answer.pid });
    } catch (e) {
      if (e instanceof HelperGoneError) return this.fail({ kind: 'exited', method, exit: e.exit });
      void client.dispose();
      return this.fail({ kind: 'bad-answer', method, detail: e instanceof Error ? e.message : String(e) });
    } finally {
      limit.cancel();
    }
  }
}
