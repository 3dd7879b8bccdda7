import { KvmnetError } from '../../../main/core/kvmnet-error';
import type { EventChannel, EventOf, InvokeChannel, KvmnetBridge, RequestOf, ResponseOf } from '../../../main/ipc/channels';

/** the page was opened without the preload, e.g. in a plain browser */
export const NO_BRIDGE = 'NO_BRIDGE';

export interface KvmnetClient {
  invoke<C extends InvokeChannel>(channel: C, ...args: RequestOf<C> extends undefined ? [] : [RequestOf<C>]): Promise<ResponseOf<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

function bridge(): KvmnetBridge {
  const found = window.kvmnet;
  if (!found) throw new KvmnetError(NO_BRIDGE, 'KVMNet is not connected to its main process: window.kvmnet is missing. Open the page through the app.');
  return found;
}

/** Unwraps the result envelope of every call; the bridge is looked up per call so tests can install one. */
export const kvmnetClient: KvmnetClient = {
  async invoke(channel, ...args) {
    const result = await bridge().invoke(channel, ...args);
    if (result.ok) return result.value;
    throw new KvmnetError(result.error.code, result.error.message, result.error.field);
  },
  on: (event, listener) => bridge().on(event, listener),
};

/** Whatever was thrown, as a KvmnetError the UI can show. */
export function asKvmnetError(e: unknown): KvmnetError {
  if (e instanceof KvmnetError) return e;
  return new KvmnetError('INTERNAL', e instanceof Error ? e.message : String(e));
}
