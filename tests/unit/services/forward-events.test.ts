import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import type { PrivilegeState } from '../../../main/core/privilege-state';
import type { RunProgress } from '../../../main/ipc/network-channels';
import { forwardEvents } from '../../../main/services/forward-events';

function source<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    subscribe(listener: (value: T) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit: (value: T) => listeners.forEach((l) => l(value)),
    count: () => listeners.size,
  };
}

const snapshot: HostSnapshot = { takenAt: '2025-01-01T00:00:00.000Z', hostname: 'laptop', links: [], routes: [], libvirt: { available: false, networks: [], domains: [] } };

describe('forwardEvents', () => {
  it('sends host and privilege changes to the current window, validated, and stops on request', () => {
    const observer = source<HostSnapshot>();
    const privilege = source<PrivilegeState>();
    const sent: unknown[][] = [];
    const contents = { send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => false } satisfies Pick<WebContents, 'send' | 'isDestroyed'>;
    const open: { window?: typeof contents } = {};
    const stop = forwardEvents({ observer, privilege }, () => open.window);

    observer.emit(snapshot);
    expect(sent).toEqual([]);

    open.window = contents;
    observer.emit(snapshot);
    privilege.emit({ status: 'elevating', method: 'sudo-prompt' });
    expect(sent).toEqual([
      ['host:changed', snapshot],
      ['privilege:changed', { status: 'elevating', method: 'sudo-prompt' }],
    ]);
    expect(() => privilege.emit({ status: 'elevated' } as PrivilegeState)).toThrow(/method/);

    stop();
    expect([observer.count(), privilege.count()]).toEqual([0, 0]);
  });

  it('sends the per-step progress of network changes, validated, and stops on request', () => {
    const observer = source<HostSnapshot>();
    const privilege = source<PrivilegeState>();
    const networks = source<RunProgress>();
    const sent: unknown[][] = [];
    const contents = { send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => false } satisfies Pick<WebContents, 'send' | 'isDestroyed'>;
    const stop = forwardEvents({ observer, privilege, networks }, () => contents);
    const progress: RunProgress = { runId: 'run-1', index: 0, total: 2, step: { op: 'libvirt.start', network: 'lab' }, status: 'running' };
    networks.emit(progress);
    expect(sent).toEqual([['networks:progress', progress]]);
    expect(() => networks.emit({ ...progress, runId: 'no spaces allowed' })).toThrow(/runId/);
    stop();
    expect(networks.count()).toBe(0);
  });
});
