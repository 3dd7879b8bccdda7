import { onBeforeUnmount, onMounted } from 'vue';
import { kvmnetClient } from '../ipc/kvmnet-client';
import { useLinkRatesStore } from '../stores/link-rates';

/**
 * Keeps the links' rates current while the calling component is mounted and the window is visible:
 * main pushes counters (host:counters) only while someone watches, so a hidden or closed diagram
 * costs nothing. Traffic makes no netlink event, so without this the rates would not move on a
 * quiet host.
 */
export function useCountersFeed(): void {
  const rates = useLinkRatesStore();
  let unsubscribe: (() => void) | undefined;
  /** whether this component has told main it watches; every true is matched by one false */
  let watching = false;

  function want(next: boolean): void {
    if (next === watching) return;
    watching = next;
    // without the feed the diagram shows no rates ("Measuring…"), nothing else depends on it
    kvmnetClient.invoke('host:watch-counters', { watching: next }).catch(() => undefined);
  }

  const follow = (): void => want(document.visibilityState === 'visible');

  onMounted(() => {
    try {
      unsubscribe = kvmnetClient.on('host:counters', (sample) => rates.record(sample));
    } catch {
      return; // no bridge (a page opened outside the app): there is no feed to watch
    }
    document.addEventListener('visibilitychange', follow);
    follow();
  });

  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', follow);
    want(false);
    unsubscribe?.();
    unsubscribe = undefined;
  });
}
