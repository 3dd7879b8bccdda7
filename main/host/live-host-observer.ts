import { execa, type ResultPromise } from 'execa';
import type { HostSnapshot } from '../core/host-snapshot';
import { coalesceRefreshes } from './coalesced-refresh';
import { HOST_COMMAND_ENV } from './host-command';
import { observeHost } from './observe';
import type { HostObserver } from './observer';
import { virshArgs } from './read-libvirt';

/** netlink events come in bursts (a bridge with ports and addresses is a dozen messages) */
const QUIET_MS = 50;
const MAX_DELAY_MS = 500;
/** `ip monitor` prints every link, address and route change of this namespace; we only need the wake-up */
const IP_MONITOR_ARGS = ['monitor', 'link', 'address', 'route'];
/** libvirt changes that netlink never sees: define/undefine, autostart, domains that are not running */
const LIBVIRT_WATCHES = [virshArgs(['event', '--all', '--loop']), virshArgs(['net-event', '--event', 'lifecycle', '--loop'])];
/** a watcher that dies sooner than this is left dead, so a broken one cannot respawn in a loop */
const MIN_WATCH_LIFETIME_MS = 1000;

type Listener = (snapshot: HostSnapshot) => void;

/**
 * Follows the host through event streams only — one `ip monitor` child, plus virsh event loops while
 * libvirtd answers — and re-reads a whole snapshot after each burst. No timer polls the host.
 */
export class LiveHostObserver implements HostObserver {
  readonly #listeners = new Set<Listener>();
  readonly #refresh = coalesceRefreshes(() => this.#notify(), QUIET_MS, MAX_DELAY_MS);
  #monitor: ResultPromise | undefined;
  #libvirtWatches: ResultPromise[] = [];
  #closed = false;

  async snapshot(): Promise<HostSnapshot> {
    const snapshot = await observeHost();
    this.#followLibvirt(snapshot);
    return snapshot;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    this.#startMonitor();
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** re-reads wait until the returned function is called (see CoalescedRefresh.hold) */
  holdRefreshes(): () => void {
    return this.#refresh.hold();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#refresh.cancel();
    const children = [this.#monitor, ...this.#libvirtWatches].filter((c): c is ResultPromise => c !== undefined);
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children);
  }

  async #notify(): Promise<void> {
    let snapshot: HostSnapshot;
    try {
      snapshot = await this.snapshot();
    } catch (e) {
      console.error(`kvmnet: could not re-read the host after a change: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (this.#closed) return;
    for (const listener of [...this.#listeners]) listener(snapshot);
  }

  /** runs an event stream; any output is a wake-up. Returns undefined once closed. */
  #watch(file: string, args: readonly string[], onExit: (livedLongEnough: boolean) => void): ResultPromise | undefined {
    if (this.#closed) return undefined;
    const child = execa(file, args, { env: HOST_COMMAND_ENV, extendEnv: false, stdin: 'ignore', stderr: 'ignore', buffer: false, reject: false });
    child.stdout.on('data', () => this.#refresh.poke());
    const started = Date.now();
    void child.then(() => {
      if (!this.#closed) onExit(Date.now() - started >= MIN_WATCH_LIFETIME_MS);
    });
    return child;
  }

  #startMonitor(): void {
    if (this.#monitor) return;
    this.#monitor = this.#watch('ip', IP_MONITOR_ARGS, (livedLongEnough) => {
      this.#monitor = undefined;
      if (livedLongEnough) this.#startMonitor();
      else console.error('kvmnet: `ip monitor` stopped at once; host changes are no longer followed');
    });
  }

  /** start the virsh event loops once libvirtd answers; when it goes away they end, and that is a change too */
  #followLibvirt(snapshot: HostSnapshot): void {
    if (!snapshot.libvirt.available || this.#libvirtWatches.length > 0 || this.#listeners.size === 0) return;
    for (const args of LIBVIRT_WATCHES) {
      const child = this.#watch('virsh', args, (livedLongEnough) => {
        this.#libvirtWatches = this.#libvirtWatches.filter((c) => c !== child);
        if (livedLongEnough) this.#refresh.poke();
      });
      if (child) this.#libvirtWatches.push(child);
    }
  }
}
