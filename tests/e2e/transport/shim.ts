import type { IpcResult } from '../../../main/ipc/channels';
import { createKvmnetBridge } from '../../../preload/api';

/**
 * Injected into the page before its scripts (page.addInitScript): builds `window.kvmnet` with the
 * preload's own createKvmnetBridge, over HTTP to the transport server instead of Electron IPC.
 */
let events: EventSource | undefined;
/** names this page to the server, as ipcMain knows which webContents calls (see page-callers.ts) */
const page = crypto.randomUUID();

const bridge = createKvmnetBridge({
  async invoke(channel, payload): Promise<IpcResult<unknown>> {
    const response = await fetch('/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kvmnet-page': page },
      body: JSON.stringify({ channel, payload }),
    });
    if (!response.ok) return { ok: false, error: { code: 'INTERNAL', message: `test transport: HTTP ${response.status} ${await response.text()}` } };
    return (await response.json()) as IpcResult<unknown>;
  },
  subscribe(event, listener) {
    events ??= new EventSource(`/events?page=${page}`);
    const handler = (message: Event): void => listener(JSON.parse(String((message as MessageEvent).data)));
    events.addEventListener(event, handler);
    return () => events?.removeEventListener(event, handler);
  },
});

// contextBridge.exposeInMainWorld gives a read-only property; so does this (globalThis is the window)
Object.defineProperty(globalThis, 'kvmnet', { value: bridge, enumerable: true });
