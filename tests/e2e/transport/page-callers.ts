import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventChannels } from '../../../main/ipc/channels';
import type { IpcCaller } from '../../../main/ipc/ipc-caller';

/** the shim names its page on every call and on its event stream, as ipcMain knows an invoke's webContents */
export const PAGE_HEADER = 'x-kvmnet-page';
const PAGE_ID = /^[\w-]{1,64}$/;

interface Page {
  stream?: ServerResponse;
  gone: Set<() => void>;
}

/**
 * The test transport's stand-in for Electron's per-webContents callers: a page is its event
 * stream, and it is gone when that stream closes (the tab closed or reloaded), as a webContents is
 * when destroyed or navigated.
 */
export function pageCallers() {
  const pages = new Map<string, Page>();
  const page = (id: string): Page => {
    let found = pages.get(id);
    if (!found) pages.set(id, (found = { gone: new Set() }));
    return found;
  };
  const idOf = (value: string | string[] | null | undefined): string | undefined =>
    typeof value === 'string' && PAGE_ID.test(value) ? value : undefined;

  return {
    /** who made this POST /invoke; undefined when it does not say */
    callerOf(req: IncomingMessage): IpcCaller | undefined {
      const id = idOf(req.headers[PAGE_HEADER]);
      if (!id) return undefined;
      return {
        id: `page:${id}`,
        send(event, payload) {
          const parsed = eventChannels[event].parse(payload);
          pages.get(id)?.stream?.write(`event: ${event}\ndata: ${JSON.stringify(parsed)}\n\n`);
        },
        onGone(listener) {
          const gone = page(id).gone;
          gone.add(listener);
          return () => gone.delete(listener);
        },
      };
    },
    /** GET /events?page=<id>: this page's own stream; its end is the page's end */
    open(url: URL, req: IncomingMessage, res: ServerResponse): void {
      const id = idOf(url.searchParams.get('page'));
      if (!id) return;
      page(id).stream = res;
      req.on('close', () => {
        const ended = pages.get(id);
        pages.delete(id);
        for (const listener of ended?.gone ?? []) listener();
      });
    },
  };
}
