import { describe, expect, it, vi } from 'vitest';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { invokeChannels } from '../../../main/ipc/channels';
import { KvmnetError } from '../../../main/core/kvmnet-error';
import type { Handlers } from '../../../main/ipc/dispatch';
import { registerIpcHandlers, send, type SenderOf, type SenderPolicy } from '../../../main/ipc/ipc-main';
import { devServerAppUrl, fileAppUrl } from '../../../main/window/app-url';
import { unusedNetworkHandlers } from '../fixtures/network-stubs';
import { unusedBridgedHandlers } from '../fixtures/bridged-stubs';
import { unusedGuestHandlers } from '../fixtures/guest-stubs';
import type { HostSnapshot } from '../../../main/core/host-snapshot';

type Listener = Parameters<IpcMain['handle']>[1];

/** Behaves like Electron's ipcMain for handle/removeHandler, including its refusal of unknown channels. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain = {
    handle(channel: string, listener: Listener) {
      if (listeners.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      listeners.set(channel, listener);
    },
    removeHandler(channel: string) {
      listeners.delete(channel);
    },
  } satisfies Pick<IpcMain, 'handle' | 'removeHandler'>;
  const invoke = async (channel: string, event: SenderOf, ...args: unknown[]): Promise<unknown> => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event as unknown as IpcMainInvokeEvent, ...args);
  };
  return { ipcMain, listeners, invoke };
}

const INDEX = '/opt/KVMNet/resources/app.asar/out/renderer/index.html';
const app = fileAppUrl(INDEX);
const mainFrame = { url: `file://${INDEX}#/overview`, parent: null, processId: 4, routingId: 1 };
const ourContents = { id: 7, mainFrame } as unknown as WebContents;
const policy: SenderPolicy = { app, trustedContents: () => ourContents };
const fromMainFrame: SenderOf = { sender: { id: 7 }, senderFrame: mainFrame };

const snapshot: HostSnapshot = {
  takenAt: '2025-01-01T00:00:00.000Z',
  hostname: 'laptop',
  links: [{ index: 1, name: 'lo', kind: 'loopback', mtu: 65536, up: true, operState: 'UNKNOWN', addresses: [] }],
  routes: [],
  libvirt: { available: false, reason: 'libvirtd is not running', networks: [], domains: [] },
};

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app:info': async () => ({ name: 'KVMNet', version: '0.1.0', platform: 'linux', transport: 'electron' }),
    'host:snapshot': async () => snapshot,
    'privilege:state': async () => ({ status: 'read-only' }),
    'privilege:elevate': async () => ({ status: 'refused', reason: 'dismissed', message: 'closed' }),
    'doctor:run': async () => { throw new Error('the doctor is not under test here'); },
    'doctor:fix': async () => { throw new Error('the doctor is not under test here'); },
    'doctor:undo': async () => { throw new Error('the doctor is not under test here'); },
    ...unusedNetworkHandlers(),
    'host:watch-counters': async () => ({ intervalMs: 2000 }),
    ...unusedBridgedHandlers(),
    ...unusedGuestHandlers(),
    ...overrides,
  };
}

describe('registerIpcHandlers', () => {
  it('registers exactly the channels of the contract, and removes them again', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const dispose = registerIpcHandlers(ipcMain, handlers(), policy);
    expect([...listeners.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
    dispose();
    expect(listeners.size).toBe(0);
  });

  it('leaves unknown channels without a handler, so Electron refuses them', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpcHandlers(ipcMain, handlers(), policy);
    await expect(invoke('shell:exec', fromMainFrame, 'rm -rf /')).rejects.toThrow("No handler registered for 'shell:exec'");
  });

  it('answers our main frame through dispatch', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpcHandlers(ipcMain, handlers(), policy);
    await expect(invoke('app:info', fromMainFrame)).resolves.toEqual({
      ok: true,
      value: { name: 'KVMNet', version: '0.1.0', platform: 'linux', transport: 'electron' },
    });
    await expect(invoke('host:snapshot', fromMainFrame)).resolves.toEqual({ ok: true, value: snapshot });
  });

  it('tells the handler which webContents calls, so a subscription belongs to that window', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const watch = vi.fn(async () => ({ intervalMs: 2000 }));
    registerIpcHandlers(ipcMain, handlers({ 'host:watch-counters': watch }), policy);
    await expect(invoke('host:watch-counters', fromMainFrame, { watching: true })).resolves.toEqual({ ok: true, value: { intervalMs: 2000 } });
    expect(watch).toHaveBeenCalledWith({ watching: true }, expect.objectContaining({ id: 'webContents:7' }));
  });

  it('refuses a payload the channel does not take, and extra arguments', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const elevate = vi.fn(handlers()['privilege:elevate']);
    registerIpcHandlers(ipcMain, handlers({ 'privilege:elevate': elevate }), policy);
    const bad = (await invoke('privilege:elevate', fromMainFrame, { method: 'sudo' })) as { ok: boolean; error: { code: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const extra = await invoke('privilege:elevate', fromMainFrame, undefined, 'more');
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('at most one payload') } });
    expect(elevate).not.toHaveBeenCalled();
  });

  it('names the field when a handler answers with a malformed response', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const broken = { ...snapshot, links: [{ ...snapshot.links[0], mtu: 'big' }] } as unknown as HostSnapshot;
    registerIpcHandlers(ipcMain, handlers({ 'host:snapshot': async () => broken }), policy);
    await expect(invoke('host:snapshot', fromMainFrame)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', field: 'links.0.mtu' } });
  });

  it.each([
    ['a frame showing another page', { sender: { id: 7 }, senderFrame: { ...mainFrame, url: 'https://evil.example/' } }],
    ['a sibling file of index.html', { sender: { id: 7 }, senderFrame: { ...mainFrame, url: 'file:///opt/KVMNet/resources/app.asar/out/renderer/other.html' } }],
    ['a sub-frame of our page', { sender: { id: 7 }, senderFrame: { ...mainFrame, parent: mainFrame, routingId: 9 } }],
    ['a frame of the same process that is not the main frame', { sender: { id: 7 }, senderFrame: { ...mainFrame, routingId: 2 } }],
    ['another webContents', { sender: { id: 8 }, senderFrame: mainFrame }],
    ['a frame that is gone', { sender: { id: 7 }, senderFrame: null }],
  ] as [string, SenderOf][])('refuses %s with FORBIDDEN_SENDER before running anything', async (_name, event) => {
    const { ipcMain, invoke } = fakeIpcMain();
    const elevate = vi.fn(handlers()['privilege:elevate']);
    registerIpcHandlers(ipcMain, handlers({ 'privilege:elevate': elevate }), policy);
    await expect(invoke('privilege:elevate', event)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(elevate).not.toHaveBeenCalled();
  });

  it('refuses everyone while our window does not exist', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpcHandlers(ipcMain, handlers(), { app, trustedContents: () => undefined });
    await expect(invoke('app:info', fromMainFrame)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('trusts the dev server origin in development, and only that origin', async () => {
    const dev = devServerAppUrl('http://localhost:5173/');
    const devFrame = { ...mainFrame, url: 'http://localhost:5173/#/networks' };
    const devContents = { id: 7, mainFrame: devFrame } as unknown as WebContents;
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpcHandlers(ipcMain, handlers(), { app: dev, trustedContents: () => devContents });
    await expect(invoke('privilege:state', { sender: { id: 7 }, senderFrame: devFrame })).resolves.toEqual({ ok: true, value: { status: 'read-only' } });
    const otherPort = { ...devFrame, url: 'http://localhost:5174/' };
    await expect(invoke('privilege:state', { sender: { id: 7 }, senderFrame: otherPort })).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('keeps the code of a KvmnetError thrown by a handler', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const elevate = async () => {
      throw new KvmnetError('NOT_ELEVATED', 'choose "Allow changes" first');
    };
    registerIpcHandlers(ipcMain, handlers({ 'privilege:elevate': elevate }), policy);
    await expect(invoke('privilege:elevate', fromMainFrame)).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_ELEVATED', message: 'choose "Allow changes" first' },
    });
  });

  it('reports any other thrown error as INTERNAL with its message', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpcHandlers(ipcMain, handlers({ 'host:snapshot': async () => { throw new Error('ip: not found'); } }), policy);
    await expect(invoke('host:snapshot', fromMainFrame)).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'ip: not found' } });
  });
});

describe('send', () => {
  function fakeContents(destroyed = false) {
    const sent: unknown[][] = [];
    const contents = {
      send: (channel: string, ...args: unknown[]) => void sent.push([channel, ...args]),
      isDestroyed: () => destroyed,
    } satisfies Pick<WebContents, 'send' | 'isDestroyed'>;
    return { contents, sent };
  }

  it('sends a payload that matches the event schema', () => {
    const { contents, sent } = fakeContents();
    send(contents, 'privilege:changed', { status: 'elevated', method: 'pkexec', helperPid: 4242 });
    expect(sent).toEqual([['privilege:changed', { status: 'elevated', method: 'pkexec', helperPid: 4242 }]]);
  });

  it('throws, naming the field, instead of sending a malformed payload', () => {
    const { contents, sent } = fakeContents();
    const broken = { ...snapshot, links: [{ ...snapshot.links[0], mtu: 'big' }] } as unknown as HostSnapshot;
    expect(() => send(contents, 'host:changed', broken)).toThrow(/"links",\s*0,\s*"mtu"/);
    expect(sent).toEqual([]);
  });

  it('drops the event when the window is already gone', () => {
    const { contents, sent } = fakeContents(true);
    send(contents, 'host:changed', snapshot);
    expect(sent).toEqual([]);
  });
});
