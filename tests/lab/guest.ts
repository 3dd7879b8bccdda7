import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Lab } from './lab';
import { labUnavailableReason } from './lab';
import { GuestBehaviour, behaviourWords } from './guest/command-line';
import { parseConsoleLine, type GuestEvent, type GuestEventKind } from './guest/console';
import { findGuestKernel, guestImage } from './guest/initramfs';

export { GuestBehaviour } from './guest/command-line';
export type { GuestEvent, GuestEventKind } from './guest/console';

const GuestOptions = z.strictObject({
  /** the QEMU network flags under test, e.g. the -netdev/-device pair KVMNet prints */
  netArgs: z.array(z.string().min(1)).refine(
    (args) => !args.some((a) => a === '-enable-kvm' || a === '-accel' || /\baccel=/.test(a)),
    'pass only network flags: the guest always runs with -accel tcg, because nested KVM hangs on these machines',
  ),
  behaviour: GuestBehaviour.optional(),
  /** run QEMU as this uid (and the same gid), as a desktop user would; the tap must be theirs */
  asUser: z.number().int().min(0).optional(),
  /** QEMU is ended after this long, and every pending waitFor rejects (default 60 s) */
  timeoutMs: z.number().int().positive().optional(),
});
export type GuestOptions = z.input<typeof GuestOptions>;

/** A console event and when it arrived, in milliseconds after QEMU started. */
export type TimedGuestEvent = GuestEvent & { atMs: number };
type TimedEventOf<K extends GuestEventKind> = Extract<GuestEvent, { kind: K }> & { atMs: number };

export interface Guest {
  /** host PID of QEMU */
  readonly pid: number;
  readonly events: readonly TimedGuestEvent[];
  /** everything QEMU and the guest printed so far, for failure messages */
  transcript(): string;
  /**
   * The first event (already seen or still to come) of one of these kinds that passes match.
   * Rejects with the transcript when the guest ends or times out first. Waiting for the failure
   * kind too, e.g. ['FETCH_OK', 'FETCH_FAIL'], makes a failed check end at once with a clear diff.
   */
  waitFor<K extends GuestEventKind>(kinds: K | readonly K[], match?: (event: TimedEventOf<K>) => boolean): Promise<TimedEventOf<K>>;
  /** settles when QEMU has exited (the guest powers off after DONE) */
  readonly exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  /** ends QEMU by its PID (if still running) and waits for it */
  close(): Promise<void>;
}

/**
 * Why guests cannot boot here, or undefined. Tests print it when they skip. A missing kernel is
 * a reason only on a developer's machine: in CI (CI=true) the kernel package is installed, so
 * its absence must fail the tests (startGuest then throws), not silently skip them.
 */
export async function guestUnavailableReason(): Promise<string | undefined> {
  const lab = labUnavailableReason();
  if (lab) return lab;
  if (process.env.CI !== 'true' && !(await findGuestKernel())) return 'no /boot/vmlinuz-* with /lib/modules/<version>: apt-get install linux-image-amd64';
  return undefined;
}

async function childOf(pid: number): Promise<number | undefined> {
  for (let i = 0; i < 500; i++) {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => undefined))?.trim();
    if (children === undefined) return undefined;
    if (children) return Number(children.split(/\s+/)[0]);
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

/**
 * Boots the test guest (Debian's kernel + a busybox initramfs, see guest/init.sh) in QEMU inside
 * the lab, with software emulation only: nested KVM hangs on these machines and there is no
 * vhost-net. The serial console becomes a stream of typed events.
 */
export async function startGuest(lab: Lab, input: GuestOptions): Promise<Guest> {
  const parsed = GuestOptions.safeParse(input);
  if (!parsed.success) throw new Error(`startGuest options: ${z.prettifyError(parsed.error)}`);
  const options = parsed.data;
  const image = await guestImage();
  const append = ['console=ttyS0', 'panic=-1', 'quiet', ...behaviourWords(options.behaviour ?? {})].join(' ');
  const qemu = [
    'qemu-system-x86_64', '-accel', 'tcg', '-m', '256', '-nographic', '-nodefaults', '-serial', 'stdio', '-no-reboot',
    '-kernel', image.kernel, '-initrd', image.initramfs, '-append', append, ...options.netArgs,
  ];
  const argv = options.asUser === undefined ? qemu : ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', '--', ...qemu];

  const started = performance.now();
  const proc = lab.spawn(argv[0]!, argv.slice(1), { stdin: 'ignore', buffer: false, reject: false });
  const events: TimedGuestEvent[] = [];
  let transcript = '';
  let ended: string | undefined;
  let running = true;
  const waiters = new Set<{ accepts: (e: TimedGuestEvent) => boolean; resolve: (e: TimedGuestEvent) => void; fail: (why: string) => void }>();

  const onLine = (line: string) => {
    const event = parseConsoleLine(line);
    if (!event) return;
    const timed = { ...event, atMs: Math.round(performance.now() - started) };
    events.push(timed);
    for (const w of waiters) if (w.accepts(timed)) w.resolve(timed);
  };
  const reader = () => {
    let partial = '';
    return (chunk: Buffer) => {
      transcript += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      lines.forEach(onLine);
    };
  };
  proc.stdout?.on('data', reader());
  proc.stderr?.on('data', reader());

  const end = (why: string) => {
    ended ??= why;
    for (const w of waiters) w.fail(ended);
  };
  const exited = proc.then((r) => {
    running = false;
    end(`QEMU exited (code ${r.exitCode ?? '-'}${r.signal ? `, ${r.signal}` : ''})`);
    return { exitCode: r.exitCode, signal: r.signal };
  });
  const qemuPid = await childOf(proc.pid!);
  if (qemuPid === undefined) {
    await exited;
    throw new Error(`QEMU did not start in the lab: ${transcript.trim()}`);
  }
  const close = async () => {
    if (running) process.kill(qemuPid, 'SIGKILL');
    await exited;
  };
  const timeoutMs = options.timeoutMs ?? 60_000;
  setTimeout(() => {
    if (!running) return;
    end(`timed out after ${timeoutMs} ms`);
    void close();
  }, timeoutMs).unref();

  return {
    pid: qemuPid,
    events,
    transcript: () => transcript,
    waitFor(kindOrKinds, match) {
      const kinds: readonly string[] = typeof kindOrKinds === 'string' ? [kindOrKinds] : kindOrKinds;
      const accepts = (e: TimedGuestEvent) => kinds.includes(e.kind) && (!match || match(e as never));
      const seen = events.find(accepts);
      if (seen) return Promise.resolve(seen as never);
      return new Promise((resolve, reject) => {
        const waiter = {
          accepts,
          resolve: (e: TimedGuestEvent) => { waiters.delete(waiter); resolve(e as never); },
          fail: (why: string) => {
            waiters.delete(waiter);
            reject(new Error(`guest: no ${kinds.join(' or ')}${match ? ' matching' : ''}: ${why}\n--- console ---\n${transcript.trim()}`));
          },
        };
        if (ended) waiter.fail(ended);
        else waiters.add(waiter);
      });
    },
    exited,
    close,
  };
}
