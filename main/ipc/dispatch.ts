import { ZodError } from 'zod';
import { KvmnetError } from '../core/kvmnet-error';
import { invokeChannels, isInvokeChannel, type InvokeChannel, type IpcError, type IpcResult, type RequestOf, type ResponseOf } from './channels';
import type { IpcCaller } from './ipc-caller';

/**
 * One implementation per invoke channel; built by createHandlers from the services. The caller is
 * there for the channels that subscribe (see IpcCaller); a carrier that cannot say who calls passes none.
 */
export type Handlers = { [C in InvokeChannel]: (request: RequestOf<C>, caller?: IpcCaller) => Promise<ResponseOf<C>> };

export function toIpcError(e: unknown): IpcError {
  if (e instanceof ZodError) {
    const issue = e.issues[0];
    const field = issue?.path.join('.') || undefined;
    return { code: 'BAD_REQUEST', message: issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid request', ...(field ? { field } : {}) };
  }
  if (e instanceof KvmnetError) return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/**
 * The single entry for every renderer call, whatever carries it (ipcMain in the app, HTTP in E2E):
 * refuse unknown channels, parse the payload with the channel's schema, run the handler, and
 * return a result envelope rather than throwing, so the renderer gets the real message and code.
 */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown, caller?: IpcCaller): Promise<IpcResult<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `unknown channel ${String(channel)}` } };
  try {
    const spec = invokeChannels[channel];
    const request = spec.request.parse(payload);
    const handler = handlers[channel] as (r: unknown, c?: IpcCaller) => Promise<unknown>;
    // handlers that do not care who calls are called as before, with the request alone
    const value = await (caller ? handler(request, caller) : handler(request));
    const response = spec.response.safeParse(value);
    // a handler that answers outside its schema is our bug, not the caller's bad request
    if (!response.success) return { ok: false, error: { ...toIpcError(response.error), code: 'INTERNAL' } };
    return { ok: true, value: response.data };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}
