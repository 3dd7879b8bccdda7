import type { WebContents } from 'electron';
import type { IpcCaller } from './ipc-caller';
import { send } from './ipc-main';

/** what ends a page's subscriptions: its webContents closing, its renderer crashing, or a new document (a reload) */
const GONE_EVENTS = ['destroyed', 'render-process-gone', 'did-navigate'] as const;

type Contents = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'on' | 'removeListener'>;

/**
 * The caller behind an ipcMain invoke. A reload keeps the webContents but not the page that
 * subscribed (its unmount handlers never run), so a navigation of the main frame counts as gone
 * too; in-page navigation (the router's hash) does not, Electron reports it as did-navigate-in-page.
 */
export function webContentsCaller(contents: Contents): IpcCaller {
  return {
    id: `webContents:${contents.id}`,
    send: (event, payload) => send(contents, event, payload),
    onGone(listener) {
      let done = false;
      const gone = (): void => {
        if (done) return;
        done = true;
        cancel();
        listener();
      };
      const cancel = (): void => {
        for (const event of GONE_EVENTS) contents.removeListener(event as 'destroyed', gone);
      };
      for (const event of GONE_EVENTS) contents.on(event as 'destroyed', gone);
      return cancel;
    },
  };
}
