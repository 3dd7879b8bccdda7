import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PendingChange } from '../../../main/core/bridge-to-lan/bridged-steps';
import type { BridgedStatus } from '../../../main/engine/bridged/bridged-state';
import type { BridgedEnded, BridgedList } from '../../../main/ipc/bridged-channels';
import { createBridgedService, OUTCOME_SLACK_MS, type BridgedServiceDeps } from '../../../main/services/bridged-service';
import type { HostSnapshot } from '../../../main/core/host-snapshot';

const NOW = Date.parse('2026-11-22T09:00:00.000Z');
const DEADLINE = new Date(NOW + 60_000).toISOString();

/** a change `kvmnet create bridged lan --uplink eth0 --no-wait` left waiting, as the CLI or an earlier window would */
const pending: PendingChange = {
  format: 1, network: 'lan', armId: 'arm-1', action: 'create', persistence: 'runtime', uplink: 'eth0', bridge: 'br-lan',
  createdAt: new Date(NOW).toISOString(), deadline: DEADLINE, rollback: [], commit: [],
};
const waiting: BridgedStatus = { name: 'lan', uplink: 'eth0', bridge: 'br-lan', persistence: 'runtime', state: 'pending-create', deadline: DEADLINE, secondsLeft: 60, overdue: false };

/** a laptop with a wired NIC and a Wi‑Fi card */
const snapshot: HostSnapshot = {
  takenAt: new Date(NOW).toISOString(),
  hostname: 'laptop',
  links: [
    { index: 2, name: 'eth0', kind: 'physical', mtu: 1500, up: true, operState: 'UP', mac: '52:54:00:12:34:56', addresses: [{ family: 'inet', address: '192.168.1.20', prefixLength: 24, scope: 'global' }] },
    { index: 3, name: 'wlan0', kind: 'wireless', mtu: 1500, up: true, operState: 'UP', mac: '52:54:00:ab:cd:ef', addresses: [] },
  ],
  routes: [{ family: 'inet', dst: 'default', gateway: '192.168.1.1', dev: 'eth0' }],
  libvirt: { available: false, reason: 'not in this test', networks: [], domains: [] },
};

function service(overrides: Partial<BridgedServiceDeps> = {}) {
  const deps: BridgedServiceDeps = {
    host: {
      read: vi.fn(async () => { throw new Error('no tool runs in this test'); }),
      readSnapshot: async () => snapshot,
      readResolvConf: async () => '',
      readNetworkdLink: async () => ({ managed: false, dns: [] }),
      readText: async () => undefined,
      now: () => Date.now(),
    },
    privilege: { elevate: vi.fn(), helper: vi.fn() },
    readStatus: vi.fn(async () => [waiting]),
    readPending: vi.fn(async () => pending),
    waitForOutcome: vi.fn(async () => 'rolled-back' as const),
    ...overrides,
  };
  return { deps, bridged: createBridgedService(deps) };
}

afterEach(() => { vi.useRealTimers(); });

describe('createBridgedService', () => {
  it('lists the bridges as `kvmnet bridges` reads them', async () => {
    vi.useFakeTimers({ now: NOW });
    const { bridged } = service();
    await expect(bridged.list()).resolves.toEqual({
      bridges: [{ name: 'lan', uplink: 'eth0', bridge: 'br-lan', persistence: 'runtime', state: 'pending-create', deadline: DEADLINE, overdue: false }],
    });
    bridged.dispose();
  });

  it('watches a waiting change with one timer that fires at its deadline, not before, then pushes how it ended', async () => {
    vi.useFakeTimers({ now: NOW });
    const { bridged, deps } = service();
    const ended: BridgedEnded[] = [];
    const lists: BridgedList[] = [];
    bridged.onEnded((e) => ended.push(e));
    bridged.subscribe((l) => lists.push(l));
    await bridged.list();
    await bridged.list();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(deps.waitForOutcome).not.toHaveBeenCalled();
    expect(ended).toEqual([]);

    vi.mocked(deps.readStatus).mockResolvedValue([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deps.waitForOutcome).toHaveBeenCalledWith('lan', 'arm-1', Date.parse(DEADLINE) + OUTCOME_SLACK_MS);
    expect(ended).toEqual([{ network: 'lan', armId: 'arm-1', outcome: 'rolled-back', cause: 'timeout' }]);
    expect(lists.at(-1)).toEqual({ bridges: [] });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses Wi‑Fi in the plan, with why and what works instead, and runs nothing', async () => {
    const { bridged, deps } = service();
    const preview = await bridged.plan({ name: 'lan', uplink: 'wlan0' });
    expect(preview).toMatchObject({ status: 'refused', code: 'UPLINK_NOT_BRIDGEABLE', field: 'uplink', alternatives: ['nat', 'routed-proxy-arp'] });
    expect(preview.status === 'refused' && preview.message).toContain('wlan0 is a Wi-Fi link');
    expect(deps.host.read).not.toHaveBeenCalled();
    expect(deps.privilege.elevate).not.toHaveBeenCalled();
  });

  it('names the field of bad input in the plan', async () => {
    const { bridged } = service();
    await expect(bridged.plan({ name: 'lan', uplink: 'nosuch0' })).resolves.toMatchObject({ status: 'refused', code: 'BAD_REQUEST', field: 'uplink' });
    await expect(bridged.plan({ name: 'lan', uplink: 'eth0', confirmTimeoutSeconds: 5 })).resolves.toMatchObject({ status: 'refused', field: 'confirmTimeoutSeconds' });
  });
});
