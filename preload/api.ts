import type { EventChannel, EventOf, IpcResult, KvmnetBridge } from '../main/ipc/channels';
import { isEventChannel, isInvokeChannel } from '../main/ipc/channels';

/**
 * Builds the `window.kvmnet` object from two transport functions. The preload passes
 * ipcRenderer-based ones; the E2E test transport passes HTTP-based ones, so both expose the very
 * same object. Unknown channels are refused here, before anything leaves the renderer.
 */
export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function createKvmnetBridge(transport: BridgeTransport): KvmnetBridge {
  const bridge: KvmnetBridge = {
    invoke(channel, ...args) {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `unknown channel ${String(channel)}` } });
      }
      return transport.invoke(channel, args[0]) as never;
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void) {
      if (!isEventChannel(event)) throw new Error(`unknown event ${String(event)}`);
      return transport.subscribe(event, (payload) => listener(payload as EventOf<E>));
    },
  };
  return Object.freeze(bridge);
}
