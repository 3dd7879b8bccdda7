import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { eventChannels, invokeChannels, type EventChannel, type EventOf, type InvokeChannel, type IpcResult } from './channels';
import { dispatch, type Handlers } from './dispatch';
import { isAppUrl, type AppUrl } from '../window/app-url';
import { webContentsCaller } from './web-contents-caller';

/** The part of Electron's ipcMain this wrapper uses; tests pass a fake that `satisfies` it. */
export type IpcMainRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;

export interface SenderPolicy {
  /** the page our window loads; a frame showing anything else is not ours */
  app: AppUrl;
  /** the webContents of our one window, if it exists */
  trustedContents(): Pick<WebContents, 'id' | 'mainFrame'> | undefined;
}

type FrameIdentity = Pick<WebFrameMain, 'url' | 'parent' | 'processId' | 'routingId'>;
export type SenderOf = { sender: Pick<WebContents, 'id'>; senderFrame: FrameIdentity | null };

/**
 * Only the main frame of our own window, showing our own page, may call the main process: not an
 * iframe, not another webContents (DevTools, a stray pop-up), not a page that navigated elsewhere.
 */
export function isTrustedSender(event: SenderOf, policy: SenderPolicy): boolean {
  const frame = event.senderFrame;
  const ours = policy.trustedContents();
  if (!frame || !ours || event.sender.id !== ours.id) return false;
  const main = ours.mainFrame;
  const isMainFrame = frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
  return isMainFrame && isAppUrl(policy.app, frame.url);
}

const forbidden: IpcResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'this frame may not call KVMNet: only the main frame of the KVMNet window can' },
};

/**
 * Registers one `ipcMain.handle` per invoke channel (nothing else: Electron itself rejects an
 * invoke on an unregistered channel). Every call is checked for its sender, then goes through
 * dispatch(), which parses the payload and turns errors into the result envelope.
 * Returns the function that removes every handler again.
 */
export function registerIpcHandlers(ipcMain: IpcMainRegistrar, handlers: Handlers, policy: SenderPolicy): () => void {
  const channels = Object.keys(invokeChannels) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event, policy)) return Promise.resolve(forbidden);
      if (args.length > 1) {
        return Promise.resolve({ ok: false, error: { code: 'BAD_REQUEST', message: `${channel} takes at most one payload argument, got ${args.length}` } });
      }
      return dispatch(handlers, channel, args[0], webContentsCaller(event.sender));
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Sends an event to the renderer after parsing it with the channel's schema, so the renderer can
 * trust the shape of every event as much as of every response. Throws (naming the field) on a bad
 * payload: that is a bug in main, not something to forward.
 */
export function send<E extends EventChannel>(contents: Pick<WebContents, 'send' | 'isDestroyed'>, event: E, payload: EventOf<E>): void {
  const parsed = eventChannels[event].parse(payload);
  if (!contents.isDestroyed()) contents.send(event, parsed);
}
