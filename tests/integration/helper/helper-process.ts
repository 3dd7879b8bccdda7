import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Lab } from '../../lab/lab';
import { childPids, commandLine } from '../../lab/process-tree';
import { HelperMessage, type ProgressEvent } from '../../../main/helper/protocol';

/** The BUILT helper (`npx vite build --config vite.node.config.ts`), as the app ships it. */
export const HELPER_BUNDLE = resolve('out/node/kvmnet-helper.cjs');

type Answer = Extract<HelperMessage, { ok: boolean }>;
export interface Exchange {
  response: Answer;
  events: ProgressEvent[];
}

/**
 * A client for a helper running inside a lab: sends request lines, collects every message it
 * writes (each checked against the protocol schema) and can kill it the hard way.
 */
export class HelperProcess {
  readonly messages: HelperMessage[] = [];
  /** performance.now() when each of `messages` arrived */
  readonly receivedAt: number[] = [];
  stderr = '';
  private buffered = '';
  private waiters: (() => void)[] = [];
  private nextId = 1;
  private exited: { code: number | undefined } | undefined;

  private constructor(private readonly child: ResultPromise) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString();
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.messages.push(HelperMessage.parse(JSON.parse(line)));
        this.receivedAt.push(performance.now());
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    void child.then((result) => {
      this.exited = { code: result.exitCode };
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static start(lab: Lab): HelperProcess {
    if (!existsSync(HELPER_BUNDLE)) throw new Error(`${HELPER_BUNDLE} is missing: build it with npx vite build --config vite.node.config.ts`);
    return new HelperProcess(lab.spawn(process.execPath, [HELPER_BUNDLE], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false }));
  }

  /** resolves once `predicate` holds over the messages received so far */
  async waitFor(predicate: (messages: readonly HelperMessage[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (this.exited) throw new Error(`helper exited (${this.exited.code}); stderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the helper; stderr:\n${this.stderr}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
  }

  sendLine(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** sends a request (an id is added unless given) and waits for its answer */
  async request(body: Record<string, unknown>): Promise<Exchange> {
    const id = typeof body.id === 'string' ? body.id : `t${this.nextId++}`;
    const from = this.messages.length;
    this.sendLine(JSON.stringify({ id, ...body }));
    return this.answerOf(id, from);
  }

  /** waits for the answer with this id among the messages from position `from` on */
  async answerOf(id: string | null, from: number, timeoutMs?: number): Promise<Exchange> {
    const mine = () => this.messages.slice(from).filter((m) => m.id === id);
    await this.waitFor(() => mine().some((m) => 'ok' in m), timeoutMs);
    return {
      response: mine().find((m): m is Answer => 'ok' in m)!,
      events: mine().filter((m): m is ProgressEvent => 'event' in m),
    };
  }

  apply(steps: unknown[]): Promise<Exchange> {
    return this.request({ method: 'apply', plan: { steps } });
  }

  /** the helper's pid on the machine (the spawned process is nsenter, the helper its child) */
  async hostPid(): Promise<number> {
    const [pid] = await childPids(this.child.pid!);
    if (pid === undefined) throw new Error('the helper process is not running');
    return pid;
  }

  /** the command lines of the helper's child processes: none once an apply has answered (daemons detach) */
  async children(): Promise<string[]> {
    return Promise.all((await childPids(await this.hostPid())).map(commandLine));
  }

  async kill9(): Promise<void> {
    process.kill(await this.hostPid(), 'SIGKILL');
    await this.child;
  }

  /** closes stdin and resolves with the exit code */
  async close(): Promise<number | undefined> {
    this.child.stdin!.end();
    return (await this.child).exitCode;
  }

  get hasExited(): boolean {
    return this.exited !== undefined;
  }
}
