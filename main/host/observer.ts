import type { HostSnapshot } from '../core/host-snapshot';

/**
 * What the rest of main needs from the host observer. The implementation reads state with
 * `ip -j`, `bridge -j`, sysfs and virsh, and follows netlink events (no polling loop).
 */
export interface HostObserver {
  snapshot(): Promise<HostSnapshot>;
  /** called with a fresh snapshot after each burst of host changes */
  subscribe(listener: (snapshot: HostSnapshot) => void): () => void;
  close(): Promise<void>;
}

/** an observer whose re-reads can wait while KVMNet's own change runs (LiveHostObserver) */
export interface HoldingObserver extends Pick<HostObserver, 'snapshot' | 'subscribe'> {
  holdRefreshes(): () => void;
}
