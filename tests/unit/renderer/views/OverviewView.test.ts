import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import OverviewView from '../../../../renderer/src/views/OverviewView.vue';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { useHostStore } from '../../../../renderer/src/stores/host';
import { hostSnapshot } from '../fixtures/host-snapshot';
import { mountAppPart } from '../fixtures/mount-app-part';

let wrapper: VueWrapper | undefined;
afterEach(() => wrapper?.unmount());

/** the Overview in its list tab (the diagram has its own tests) */
async function overviewWith(arrange: (host: ReturnType<typeof useHostStore>) => void, language?: 'en' | 'vi' | 'zh-CN', tab: 'list' | 'diagram' = 'list') {
  const mounted = mountAppPart(OverviewView, { language });
  wrapper = mounted.wrapper;
  const host = useHostStore(mounted.pinia);
  arrange(host);
  await nextTick();
  const listTab = mounted.wrapper.find('[data-tab="list"]');
  if (tab === 'list' && listTab.exists()) await listTab.trigger('click');
  return { wrapper: mounted.wrapper, host };
}

const attr = (w: Pick<DOMWrapper<Element>, 'findAll'>, name: string) => w.findAll(`[${name}]`).map((e) => e.attributes(name));

describe('OverviewView', () => {
  it('shows each link once: adapters, bridges with their ports, the other links; loopback left out', async () => {
    const { wrapper } = await overviewWith((host) => { host.snapshot = hostSnapshot(); });
    expect(attr(wrapper, 'data-link').sort()).toEqual(['eth0', 'kvbr0', 'veth0', 'veth1', 'virbr0', 'wlan0']);
    expect(attr(wrapper.get('[data-bridge="kvbr0"]'), 'data-port')).toEqual(['kvtap0', 'kvtap1']);
    expect(attr(wrapper.get('[data-bridge="virbr0"]'), 'data-port')).toEqual([]);
    expect(wrapper.get('[data-bridge="virbr0"]').text()).toContain('No ports yet');
    expect(wrapper.get('[data-bridge="virbr0"]').find('.port-count').exists()).toBe(false);
    expect(wrapper.text()).not.toContain('127.0.0.1');
  });

  it('names the kind, state and addresses of links in plain words', async () => {
    const { wrapper } = await overviewWith((host) => { host.snapshot = hostSnapshot(); });
    const eth0 = wrapper.get('[data-link="eth0"]');
    expect(eth0.get('[data-kind]').text()).toBe('Ethernet');
    expect(eth0.get('[data-state]').text()).toBe('Up');
    expect(eth0.findAll('[data-address]').map((a) => a.text())).toEqual(['192.168.1.20/24']);
    expect(wrapper.get('[data-link="wlan0"] [data-state]').text()).toBe('Down');
    const kvbr0 = wrapper.get('[data-bridge="kvbr0"]');
    expect(kvbr0.get('h3').text()).toBe('kvbr0');
    expect(kvbr0.findAll('[data-address]').map((a) => a.text())).toEqual(['10.77.0.1/24']);
    expect(kvbr0.get('[data-port="kvtap1"] [data-state]').text()).toBe('No carrier');
    expect(kvbr0.text()).toContain('2 ports');
    expect(wrapper.get('[data-link="veth0"]').text()).toContain('Paired with veth1');
  });

  it('marks the links KVMNet owns with their network', async () => {
    const { wrapper } = await overviewWith((host) => { host.snapshot = hostSnapshot(); });
    const owned = wrapper.findAll('[data-owner]').map((b) => [b.element.closest('[data-port], [data-link]')?.getAttribute('data-port') ?? b.element.closest('[data-link]')?.getAttribute('data-link'), b.text()]);
    expect(owned).toEqual([['kvbr0', 'KVMNet · demo'], ['kvtap0', 'KVMNet · demo']]);
  });

  it('lists libvirt networks, or says why libvirt cannot be read', async () => {
    const { wrapper, host } = await overviewWith((host) => { host.snapshot = hostSnapshot(); });
    const row = wrapper.get('[data-network="default"]');
    expect(row.text()).toContain('Active');
    expect(row.text()).toContain('nat');
    expect(wrapper.get('[data-network="demo"]').text()).toContain('Managed by KVMNet');
    host.snapshot = hostSnapshot({ libvirt: { available: false, reason: 'libvirtd is not running (connection refused)', networks: [], domains: [] } });
    await nextTick();
    expect(wrapper.get('[data-libvirt="unavailable"]').text()).toContain('libvirtd is not running (connection refused)');
  });

  it('follows a pushed snapshot without reloading', async () => {
    const { wrapper, host } = await overviewWith((host) => { host.snapshot = hostSnapshot(); });
    const next = hostSnapshot();
    next.links.push({ index: 40, name: 'kvtap2', kind: 'tap', master: 'kvbr0', mtu: 1500, up: true, operState: 'UP', addresses: [] });
    host.snapshot = next;
    await nextTick();
    expect(attr(wrapper.get('[data-bridge="kvbr0"]'), 'data-port')).toEqual(['kvtap0', 'kvtap1', 'kvtap2']);
  });

  it('shows skeleton placeholders until the first snapshot', async () => {
    const { wrapper } = await overviewWith((host) => { host.loading = true; });
    expect(wrapper.find('[aria-busy="true"]').exists()).toBe(true);
    expect(wrapper.get('[role="status"]').text()).toBe('Loading network interfaces');
    expect(wrapper.find('[data-link]').exists()).toBe(false);
  });

  it('explains a failed first read and retries on request', async () => {
    const { wrapper, host } = await overviewWith((host) => { host.error = new KvmnetError('INTERNAL', 'ip: command not found'); });
    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('Could not read the network state');
    expect(alert.text()).toContain('ip: command not found');
    await alert.get('button').trigger('click');
    expect(host.load).toHaveBeenCalledTimes(1);
  });

  it('keeps the last known state visible when a later read fails', async () => {
    const { wrapper } = await overviewWith((host) => {
      host.snapshot = hostSnapshot();
      host.error = new KvmnetError('INTERNAL', 'netlink socket closed');
    });
    expect(wrapper.find('[data-bridge="kvbr0"]').exists()).toBe(true);
    expect(wrapper.get('.stale').text()).toContain('netlink socket closed');
  });

  it('has an empty state for a host with only loopback', async () => {
    const { wrapper } = await overviewWith((host) => {
      host.snapshot = hostSnapshot({ links: hostSnapshot().links.filter((l) => l.kind === 'loopback') });
    });
    expect(wrapper.text()).toContain('No network interfaces to show');
    expect(wrapper.find('[data-link]').exists()).toBe(false);
  });

  it('speaks the chosen language', async () => {
    const { wrapper } = await overviewWith((host) => { host.snapshot = hostSnapshot(); }, 'zh-CN');
    expect(wrapper.get('h1').text()).toBe('概览');
    expect(wrapper.get('[data-link="eth0"] [data-kind]').text()).toBe('以太网');
    expect(wrapper.get('[data-bridge="kvbr0"]').text()).toContain('2 个端口');
  });

  it('opens on the live diagram, and switches to the list and back with the arrow keys', async () => {
    const { wrapper, host } = await overviewWith((host) => { host.snapshot = hostSnapshot(); }, 'en', 'diagram');
    const tabs = wrapper.findAll('[role="tab"]');
    expect(tabs.map((t) => [t.text(), t.attributes('aria-selected'), t.attributes('tabindex')])).toEqual([['Diagram', 'true', '0'], ['List', 'false', '-1']]);
    await vi.waitFor(() => expect(wrapper.findAll('.vue-flow__node')).toHaveLength(10), { timeout: 10_000 });
    expect(wrapper.find('[data-bridge]').exists()).toBe(false);
    // a pushed snapshot reaches the diagram: one more tap, one more node
    const next = hostSnapshot({ takenAt: '2026-01-01T10:00:05.000Z' });
    next.links.push({ index: 40, name: 'kvtap2', kind: 'tap', master: 'kvbr0', mtu: 1500, up: true, operState: 'UP', addresses: [] });
    host.snapshot = next;
    await vi.waitFor(() => expect(wrapper.find('.vue-flow__node[data-id="link:kvtap2"]').exists()).toBe(true), { timeout: 10_000 });
    await tabs[0]!.trigger('keydown', { key: 'ArrowRight' });
    expect(wrapper.get('[data-tab="list"]').attributes('aria-selected')).toBe('true');
    expect(wrapper.get('[role="tabpanel"]').attributes('id')).toBe(wrapper.get('[data-tab="list"]').attributes('aria-controls'));
    expect(attr(wrapper.get('[data-bridge="kvbr0"]'), 'data-port')).toEqual(['kvtap0', 'kvtap1', 'kvtap2']);
    await wrapper.get('[data-tab="list"]').trigger('keydown', { key: 'ArrowLeft' });
    expect(wrapper.get('[data-tab="diagram"]').attributes('aria-selected')).toBe('true');
  });
});
