import type { EventChannel, EventOf } from './channels';

/**
 * The renderer a call came from, for the few channels whose effect lasts beyond the call (a
 * subscription): main keeps state per caller, pushes to that caller only, and drops the state
 * when the caller is gone, whether or not it said goodbye.
 */
export interface IpcCaller {
  /** the same for every call from one renderer for as long as it lives */
  readonly id: string;
  /** pushes an event to this renderer alone, checked against the channel's schema */
  send<E extends EventChannel>(event: E, payload: EventOf<E>): void;
  /** calls `listener` once when this renderer's page is gone; returns the function that cancels that */
  onGone(listener: () => void): () => void;
}
