import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import { exposeKvmnet, type IpcRendererLike } from '../../../preload/expose-kvmnet';
import type { KvmnetBridge } from '../../../main/ipc/channels';

function fakeContextBridge() {
  const world: Record<string, unknown> = {};
  const contextBridge = {
    exposeInMainWorld(apiKey: string, api: unknown) {
      world[apiKey] = api;
    },
  } satisfies Pick<ContextBridge, 'exposeInMainWorld'>;
  return { contextBridge, world };
}

/** Emits like ipcRenderer: listeners get (event, ...args). */
class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  readonly invoked: [string, unknown[]][] = [];
  async invoke(...[channel, ...args]: Parameters<IpcRenderer['invoke']>): ReturnType<IpcRenderer['invoke']> {
    this.invoked.push([channel, args]);
    return { ok: true, value: { status: 'read-only' } };
  }
  deliver(channel: string, payload: unknown): void {
    const event = { sender: this } as unknown as IpcRendererEvent;
    this.emit(channel, event, payload);
  }
}

function expose() {
  const { contextBridge, world } = fakeContextBridge();
  const ipcRenderer = new FakeIpcRenderer();
  exposeKvmnet(contextBridge, ipcRenderer);
  return { world, ipcRenderer, kvmnet: world.kvmnet as KvmnetBridge };
}

describe('exposeKvmnet', () => {
  it('exposes one frozen object, window.kvmnet, with invoke and on only', () => {
    const { world, kvmnet } = expose();
    expect(Object.keys(world)).toEqual(['kvmnet']);
    expect(Object.isFrozen(kvmnet)).toBe(true);
    expect(Object.keys(kvmnet).sort()).toEqual(['invoke', 'on']);
    expect(() => Object.assign(kvmnet, { ipcRenderer: {} })).toThrow(TypeError);
  });

  it('invokes known channels with their payload', async () => {
    const { kvmnet, ipcRenderer } = expose();
    await expect(kvmnet.invoke('privilege:state')).resolves.toEqual({ ok: true, value: { status: 'read-only' } });
    expect(ipcRenderer.invoked).toEqual([['privilege:state', [undefined]]]);
  });

  it('refuses unknown channels without reaching ipcRenderer', async () => {
    const { kvmnet, ipcRenderer } = expose();
    const invoke = kvmnet.invoke as (channel: string) => Promise<unknown>;
    await expect(invoke('helper:apply')).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const on = kvmnet.on as (event: string, listener: () => void) => () => void;
    expect(() => on('ipc:raw', () => undefined)).toThrow('unknown event ipc:raw');
    expect(ipcRenderer.invoked).toEqual([]);
    expect(ipcRenderer.eventNames()).toEqual([]);
  });

  it('hands listeners the payload only, never the IpcRendererEvent', () => {
    const { kvmnet, ipcRenderer } = expose();
    const received: unknown[][] = [];
    kvmnet.on('privilege:changed', (...args: unknown[]) => received.push(args));
    ipcRenderer.deliver('privilege:changed', { status: 'elevating', method: 'pkexec' });
    expect(received).toEqual([[{ status: 'elevating', method: 'pkexec' }]]);
  });

  it('unsubscribes exactly the listener it added', () => {
    const { kvmnet, ipcRenderer } = expose();
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = kvmnet.on('host:changed', (s) => first.push(s));
    kvmnet.on('host:changed', (s) => second.push(s));
    expect(ipcRenderer.listenerCount('host:changed')).toBe(2);
    stopFirst();
    expect(ipcRenderer.listenerCount('host:changed')).toBe(1);
    ipcRenderer.deliver('host:changed', 'snapshot');
    expect(first).toEqual([]);
    expect(second).toEqual(['snapshot']);
  });
});
