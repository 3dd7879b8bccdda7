import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { webContentsCaller } from '../../../main/ipc/web-contents-caller';
import type { HostCounters } from '../../../main/core/host-counters';

/** the part of a webContents the caller uses, with Electron's events emitted by hand */
function contents(id: number, destroyed = false) {
  const emitter = new EventEmitter();
  const sent: unknown[][] = [];
  return Object.assign(emitter, { id, sent, send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => destroyed });
}

const counters: HostCounters = { takenAt: '2026-01-01T10:00:00.000Z', links: [{ name: 'eth0', rxBytes: 1, txBytes: 2, rxPackets: 3, txPackets: 4 }] };

describe('webContentsCaller', () => {
  it('is named by its webContents and pushes to it alone, checked against the schema', () => {
    const web = contents(7);
    const caller = webContentsCaller(web as never);
    expect(caller.id).toBe('webContents:7');
    caller.send('host:counters', counters);
    expect(web.sent).toEqual([['host:counters', counters]]);
    expect(() => caller.send('host:counters', { takenAt: 'now' } as HostCounters)).toThrow(/links/);
  });

  it.each(['destroyed', 'render-process-gone', 'did-navigate'])('is gone, once, when its webContents emits %s', (event) => {
    const web = contents(7);
    const gone = vi.fn();
    webContentsCaller(web as never).onGone(gone);
    web.emit(event);
    web.emit('destroyed');
    expect(gone).toHaveBeenCalledTimes(1);
    expect(['destroyed', 'render-process-gone', 'did-navigate'].map((e) => web.listenerCount(e))).toEqual([0, 0, 0]);
  });

  it('is not gone on in-page navigation (the router), and cancelling leaves no listener behind', () => {
    const web = contents(7);
    const gone = vi.fn();
    const cancel = webContentsCaller(web as never).onGone(gone);
    web.emit('did-navigate-in-page');
    expect(gone).not.toHaveBeenCalled();
    cancel();
    web.emit('destroyed');
    expect(gone).not.toHaveBeenCalled();
    expect(web.listenerCount('destroyed')).toBe(0);
  });
});
