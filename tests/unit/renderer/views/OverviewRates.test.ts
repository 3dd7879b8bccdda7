import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import OverviewView from '../../../../renderer/src/views/OverviewView.vue';
import type { HostCounters } from '../../../../main/core/host-counters';
import { useHostStore } from '../../../../renderer/src/stores/host';
import { installFakeBridge, removeBridge } from '../fixtures/fake-bridge';
import { hostSnapshot } from '../fixtures/host-snapshot';
import { mountAppPart } from '../fixtures/mount-app-part';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  removeBridge();
  Reflect.deleteProperty(document, 'visibilityState');
});

/** kvtap0 with `rx`/`tx` bytes counted, at `second` seconds past ten */
const sample = (second: number, rx: number, tx: number): HostCounters => ({
  takenAt: `2026-01-01T10:00:0${second}.000Z`,
  links: [{ name: 'kvtap0', rxBytes: rx, txBytes: tx, rxPackets: 0, txPackets: 0 }],
});

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** the Overview's diagram with the real stores, over the preload's bridge to handlers the test controls */
async function overview() {
  const bridge = installFakeBridge();
  const mounted = mountAppPart(OverviewView, { stubActions: false });
  wrapper = mounted.wrapper;
  useHostStore(mounted.pinia).snapshot = hostSnapshot();
  await vi.waitFor(() => expect(wrapper!.findAll('.vue-flow__node').length).toBeGreaterThan(0), { timeout: 10_000 });
  const watches = () => vi.mocked(bridge.handlers['host:watch-counters']).mock.calls.map(([request]) => request.watching);
  return { bridge, wrapper: mounted.wrapper, watches };
}

describe('the Overview diagram\'s rates, from the counters main pushes', () => {
  it('watches the counters while shown, and shows the rate measured between two pushed samples', async () => {
    const { bridge, wrapper, watches } = await overview();
    expect(watches()).toEqual([true]);
    expect(bridge.listenerCount('host:counters')).toBe(1);

    await wrapper.get('.vue-flow__node[data-id="link:kvtap0"]').trigger('click');
    const rate = () => wrapper.get('[data-topology-details] [data-fact="rate"]').text();
    expect(rate()).toBe('Measuring…');
    bridge.emit('host:counters', sample(0, 1000, 500));
    await vi.waitFor(() => expect(rate()).toBe('Measuring…'));
    bridge.emit('host:counters', sample(2, 4060, 540));
    await vi.waitFor(() => expect(rate()).toBe('receiving 1.5 kB/s, sending 20 B/s'));
    // a late sample (older than the newest) changes nothing
    bridge.emit('host:counters', sample(1, 0, 0));
    bridge.emit('host:counters', sample(4, 4060, 540));
    await vi.waitFor(() => expect(rate()).toBe('receiving 0 B/s, sending 0 B/s'));
  });

  it('stops watching while the window is hidden and when the diagram goes (List tab), once per start', async () => {
    const { bridge, wrapper, watches } = await overview();
    setVisibility('hidden');
    setVisibility('hidden');
    setVisibility('visible');
    expect(watches()).toEqual([true, false, true]);
    await wrapper.get('[data-tab="list"]').trigger('click');
    expect(watches()).toEqual([true, false, true, false]);
    expect(bridge.listenerCount('host:counters')).toBe(0);
    setVisibility('hidden');
    setVisibility('visible');
    expect(watches()).toEqual([true, false, true, false]);
  });

  it('does not watch when the diagram opens in a hidden window, and starts when it is shown', async () => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    const { watches } = await overview();
    expect(watches()).toEqual([]);
    setVisibility('visible');
    expect(watches()).toEqual([true]);
  });
});
