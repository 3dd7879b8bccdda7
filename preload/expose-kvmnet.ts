import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import { createKvmnetBridge } from './api';

export type ContextBridgeLike = Pick<ContextBridge, 'exposeInMainWorld'>;
/** ipcRenderer's methods we use; `on` returns `this` in Electron's types, which a fake cannot be */
export interface IpcRendererLike {
  invoke: IpcRenderer['invoke'];
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

/**
 * Puts the one `window.kvmnet` object into the page. ipcRenderer itself never crosses the bridge,
 * and listeners get only the payload: the IpcRendererEvent (with its `sender` able to send on any
 * channel) stays in the preload.
 */
export function exposeKvmnet(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  const bridge = createKvmnetBridge({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    subscribe(event, listener) {
      const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, handler);
      return () => {
        ipcRenderer.removeListener(event, handler);
      };
    },
  });
  contextBridge.exposeInMainWorld('kvmnet', bridge);
}
