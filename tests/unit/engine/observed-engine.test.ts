import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import { observedEngine } from '../../../main/engine/observed-engine';
import type { Plan } from '../../../main/helper/protocol';
import { HelperRequestError } from '../../../main/privilege/helper-errors';
import { laptopSnapshot } from '../core/network/host-fixture';

/** the laptop without libvirt: nothing for the engine to ask virsh */
const withoutLibvirt = (): HostSnapshot => ({ ...laptopSnapshot(), libvirt: { available: false, reason: 'not in this test', networks: [], domains: [] } });

class FakeObserver {
  reads = 0;
  held = 0;
  released = 0;
  listener: ((s: HostSnapshot) => void) | undefined;
  constructor(private current: HostSnapshot) {}
  snapshot(): Promise<HostSnapshot> {
    this.reads++;
    return Promise.resolve(this.current);
  }
  subscribe(listener: (s: HostSnapshot) => void): () => void {
    this.listener = listener;
    return () => { this.listener = undefined; };
  }
  holdRefreshes(): () => void {
    this.held++;
    return () => { this.released++; };
  }
  change(next: HostSnapshot): void {
    this.current = next;
    this.listener?.(next);
  }
}

const plan: Plan = { steps: [{ op: 'link.setState', name: 'kv-lab', up: true }] };

describe('observedEngine (the app\'s path)', () => {
  it('plans from the observer\'s snapshot, read once and then kept current by its events', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    const engine = observedEngine(observer, () => ({ apply: () => Promise.resolve({ applied: 1 }) }));
    expect((await engine.readState()).plan.snapshot.links.map((l) => l.name)).toContain('kv-lab');
    await engine.readState();
    expect(observer.reads).toBe(1);

    const changed = { ...withoutLibvirt(), links: withoutLibvirt().links.filter((l) => l.name !== 'kv-lab') };
    observer.change(changed);
    expect((await engine.readState()).plan.snapshot.links.map((l) => l.name)).not.toContain('kv-lab');
    expect(observer.reads).toBe(1);
    engine.close();
    expect(observer.listener).toBeUndefined();
  });

  it('after its own change plans from a fresh read, and takes no snapshot the observer began before that change', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    const engine = observedEngine(observer, () => ({ apply: () => Promise.resolve({ applied: 1 }) }));
    await engine.readState();
    const before = new Date(Date.now() - 1000).toISOString();
    await engine.run(plan, () => undefined, () => undefined);
    const after = { ...withoutLibvirt(), takenAt: new Date(Date.now() + 1).toISOString(), links: withoutLibvirt().links.filter((l) => l.name !== 'kv-lab') };
    // a re-read that began before the change ends after it: it must not replace the fresh read
    observer.change({ ...withoutLibvirt(), takenAt: before });
    observer.change(after);
    expect(observer.reads).toBe(1);
    expect((await engine.readState()).plan.snapshot.links.map((l) => l.name)).not.toContain('kv-lab');
    observer.change({ ...withoutLibvirt(), takenAt: before });
    expect((await engine.readState()).plan.snapshot.links.map((l) => l.name)).not.toContain('kv-lab');
    engine.close();
  });

  it('reads afresh after its own change when no event came since', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    const engine = observedEngine(observer, () => ({ apply: () => Promise.resolve({ applied: 1 }) }));
    await engine.readState();
    await engine.run(plan, () => undefined, () => undefined);
    await engine.readState();
    expect(observer.reads).toBe(2);
    engine.close();
  });

  it('holds the observer\'s re-reads while a plan runs on the helper, and lets go whatever the outcome', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    let heldDuringApply = false;
    const ok = observedEngine(observer, () => ({
      apply: () => {
        heldDuringApply = observer.held === 1 && observer.released === 0;
        return Promise.resolve({ applied: 1 });
      },
    }));
    expect(await ok.run(plan, () => undefined, () => undefined)).toEqual({ status: 'done', applied: 1 });
    expect(heldDuringApply).toBe(true);
    expect(observer.released).toBe(1);

    const refused = observedEngine(observer, () => ({ apply: () => Promise.reject(new HelperRequestError({ code: 'NOT_OWNED', message: 'not ours' })) }));
    expect(await refused.run(plan, () => undefined, () => undefined)).toMatchObject({ status: 'failed', error: { code: 'NOT_OWNED' } });
    expect(observer.released).toBe(2);
  });
});
