import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setActivePinia } from 'pinia';
import { createTestingPinia } from '@pinia/testing';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { useHostStore } from '../../../../renderer/src/stores/host';
import { installFakeBridge, removeBridge } from '../fixtures/fake-bridge';
import { hostSnapshot } from '../fixtures/host-snapshot';

beforeEach(() => setActivePinia(createTestingPinia({ stubActions: false, createSpy: vi.fn })));
afterEach(removeBridge);

describe('host store', () => {
  it('loads the snapshot and subscribes to pushed changes', async () => {
    const bridge = installFakeBridge();
    const host = useHostStore();
    expect(host.snapshot).toBeNull();
    const started = host.start();
    expect(host.loading).toBe(true);
    await started;
    expect(host.loading).toBe(false);
    expect(host.hostname).toBe('lab-host');
    expect(host.live).toBe(true);
    expect(host.receivedAt).toBeInstanceOf(Date);
    expect(bridge.listenerCount('host:changed')).toBe(1);
  });

  it('applies a pushed snapshot and counts it as an update', async () => {
    const bridge = installFakeBridge();
    const host = useHostStore();
    await host.start();
    const next = hostSnapshot({ takenAt: '2026-01-01T10:00:05.000Z', hostname: 'renamed' });
    bridge.emit('host:changed', next);
    expect(host.snapshot).toEqual(next);
    expect(host.updates).toBe(1);
  });

  it('keeps a newer pushed snapshot when an older reply arrives after it', async () => {
    let reply!: (s: ReturnType<typeof hostSnapshot>) => void;
    const bridge = installFakeBridge({ 'host:snapshot': () => new Promise((r) => { reply = r; }) });
    const host = useHostStore();
    const started = host.start();
    await vi.waitFor(() => expect(reply).toBeTypeOf('function'));
    bridge.emit('host:changed', hostSnapshot({ takenAt: '2026-01-01T10:00:09.000Z', hostname: 'newer' }));
    reply(hostSnapshot({ takenAt: '2026-01-01T10:00:01.000Z', hostname: 'older' }));
    await started;
    expect(host.hostname).toBe('newer');
  });

  it('subscribes once however often it is started, and stops listening on stop', async () => {
    const bridge = installFakeBridge();
    const host = useHostStore();
    await host.start();
    await host.start();
    expect(bridge.listenerCount('host:changed')).toBe(1);
    host.stop();
    expect(bridge.listenerCount('host:changed')).toBe(0);
    expect(host.live).toBe(false);
  });

  it('keeps the error of a failed read, and clears it when a snapshot arrives', async () => {
    const bridge = installFakeBridge({ 'host:snapshot': async () => { throw new KvmnetError('INTERNAL', 'ip -j link failed: permission denied'); } });
    const host = useHostStore();
    await host.start();
    expect(host.snapshot).toBeNull();
    expect(host.error).toMatchObject({ code: 'INTERNAL', message: 'ip -j link failed: permission denied' });
    bridge.emit('host:changed', hostSnapshot());
    expect(host.error).toBeNull();
    expect(host.hostname).toBe('lab-host');
  });

  it('reports a missing bridge as an error instead of throwing', async () => {
    removeBridge();
    const host = useHostStore();
    await host.start();
    expect(host.error?.code).toBe('NO_BRIDGE');
    expect(host.live).toBe(false);
  });
});
