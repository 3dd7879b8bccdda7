import type { WebContents } from 'electron';
import type { HostObserver } from '../host/observer';
import type { PrivilegeState } from '../core/privilege-state';
import type { RunProgress } from '../ipc/network-channels';
import { send } from '../ipc/ipc-main';

export interface EventSources {
  observer: Pick<HostObserver, 'subscribe'>;
  privilege: { subscribe(listener: (state: PrivilegeState) => void): () => void };
  /** per-step progress of network changes */
  networks?: { subscribe(listener: (progress: RunProgress) => void): () => void };
}

/** Pushes host and privilege changes to the window, whichever window is open at the time. */
export function forwardEvents(sources: EventSources, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | undefined): () => void {
  const stops = [
    sources.observer.subscribe((snapshot) => {
      const contents = target();
      if (contents) send(contents, 'host:changed', snapshot);
    }),
    sources.privilege.subscribe((state) => {
      const contents = target();
      if (contents) send(contents, 'privilege:changed', state);
    }),
    ...(sources.networks
      ? [sources.networks.subscribe((progress) => {
          const contents = target();
          if (contents) send(contents, 'networks:progress', progress);
        })]
      : []),
  ];
  return () => stops.forEach((stop) => stop());
}
