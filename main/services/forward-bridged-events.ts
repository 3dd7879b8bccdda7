import type { WebContents } from 'electron';
import { send } from '../ipc/ipc-main';
import type { BridgedService } from './bridged-service';

/** Pushes the bridge-to-LAN progress, list changes and ended countdowns to the window open at the time. */
export function forwardBridgedEvents(bridged: Pick<BridgedService, 'onProgress' | 'subscribe' | 'onEnded'>, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | undefined): () => void {
  const stops = [
    bridged.onProgress((progress) => {
      const contents = target();
      if (contents) send(contents, 'bridged:progress', progress);
    }),
    bridged.subscribe((list) => {
      const contents = target();
      if (contents) send(contents, 'bridged:changed', list);
    }),
    bridged.onEnded((ended) => {
      const contents = target();
      if (contents) send(contents, 'bridged:ended', ended);
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
