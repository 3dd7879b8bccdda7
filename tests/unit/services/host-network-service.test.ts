import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import type { Plan, ProgressEvent } from '../../../main/helper/protocol';
import { HelperRequestError } from '../../../main/privilege/helper-errors';
import { hostNetworkService } from '../../../main/services/host-network-service';
import { laptopSnapshot } from '../core/network/host-fixture';

/** the laptop without libvirt: nothing for the service to ask virsh */
const withoutLibvirt = (): HostSnapshot => ({ ...laptopSnapshot(), libvirt: { available: false, reason: 'not in this test', networks: [], domains: [] } });
const without = (snapshot: HostSnapshot, name: string): HostSnapshot => ({ ...snapshot, links: snapshot.links.filter((l) => l.name !== name) });

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

type Apply = (plan: Plan, onProgress?: (event: ProgressEvent) => void) => Promise<{ applied: number }>;

function service(observer: FakeObserver, apply: Apply = async (plan) => ({ applied: plan.steps.length })) {
  const privilege = { elevate: async () => ({ status: 'elevated', method: 'root', helperPid: 1 } as const), helper: () => ({ apply }) };
  return hostNetworkService(observer, privilege, async () => null);
}

/** the laptop's kv-lab is in use: a new network cannot take it as its bridge */
const onKvLab = async (networks: ReturnType<typeof service>) => (await networks.validate({ name: 'web', backend: 'direct', bridge: 'kv-lab' })).issues.map((i) => i.field);

describe('the network service on this host (the app\'s path)', () => {
  it('plans from the observer\'s snapshot, read once and then kept current by its events', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    const networks = service(observer);
    expect(await onKvLab(networks)).toEqual(['bridge']);
    await networks.list();
    expect(observer.reads).toBe(1);

    observer.change(without(withoutLibvirt(), 'kv-lab'));
    expect(await networks.create('run-1', { name: 'web', backend: 'direct', bridge: 'kv-lab' })).toMatchObject({ status: 'done' });
    expect(observer.reads).toBe(1);
  });

  it('after its own change plans from a fresh read, and takes no snapshot the observer began before that change', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    const networks = service(observer);
    await networks.list();
    const before = new Date(Date.now() - 1000).toISOString();
    expect(await networks.create('run-1', { name: 'web', backend: 'direct' })).toMatchObject({ status: 'done' });
    expect(observer.reads).toBe(1);
    // the host after the change, and a re-read that began before the change but ends after it
    observer.change({ ...without(withoutLibvirt(), 'kv-lab'), takenAt: new Date(Date.now() + 1).toISOString() });
    observer.change({ ...withoutLibvirt(), takenAt: before });
    expect(observer.reads).toBe(1);
    expect(await networks.create('run-2', { name: 'web', backend: 'direct', bridge: 'kv-lab' })).toMatchObject({ status: 'done' });
    expect(observer.reads).toBe(1);
  });

  it('reads afresh after its own change when no event came since', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    const networks = service(observer);
    await networks.list();
    await networks.create('run-1', { name: 'web', backend: 'direct' });
    await networks.list();
    expect(observer.reads).toBe(2);
  });

  it('holds the observer\'s re-reads while a plan runs on the helper, and lets go whatever the outcome', async () => {
    const observer = new FakeObserver(withoutLibvirt());
    let heldDuringApply = false;
    const ok = service(observer, async (plan) => {
      heldDuringApply = observer.held === 1 && observer.released === 0;
      return { applied: plan.steps.length };
    });
    expect(await ok.create('run-1', { name: 'web', backend: 'direct' })).toMatchObject({ status: 'done' });
    expect(heldDuringApply).toBe(true);
    expect(observer.released).toBe(1);

    const refused = service(observer, () => Promise.reject(new HelperRequestError({ code: 'NOT_OWNED', message: 'not ours' })));
    expect(await refused.create('run-2', { name: 'web', backend: 'direct' })).toMatchObject({ status: 'refused' });
    expect(observer.released).toBe(2);
  });
});
