import { afterEach, describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import NetworkDetailView from '../../../../renderer/src/views/NetworkDetailView.vue';
import NetworksView from '../../../../renderer/src/views/NetworksView.vue';
import { removeBridge } from '../fixtures/fake-bridge';
import { mountNetworkView, settle } from '../fixtures/mount-network-view';
import { LISTED } from '../fixtures/network-handlers';
import type { NetworkListing } from '../../../../main/ipc/network-channels';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

describe('NetworksView', () => {
  it('lists KVMNet\'s and libvirt\'s networks, the foreign one marked read-only, each linking to its page', async () => {
    const mounted = await mountNetworkView(NetworksView, { path: '/networks' });
    wrapper = mounted.wrapper;
    const rows = wrapper.findAll('[data-network-row]');
    expect(rows.map((r) => r.attributes('data-network-row'))).toEqual(['default', 'demo']);
    expect(rows[0]!.text()).toContain('libvirt (read-only)');
    expect(rows[1]!.text()).toContain('KVMNet');
    expect(rows[1]!.get('[data-kind]').text()).toBe('Host-only');
    expect(rows[1]!.get('a').attributes('href')).toBe('#/networks/demo');
  });

  it('keeps the table\'s shape while the list loads', async () => {
    const mounted = await mountNetworkView(NetworksView, { path: '/networks', overrides: { 'networks:list': () => new Promise(() => undefined) } });
    wrapper = mounted.wrapper;
    expect(wrapper.findAll('[aria-busy="true"] tr')).toHaveLength(3);
    expect(wrapper.get('[role="status"]').text()).toBe('Loading networks');
    expect(wrapper.find('[data-networks]').exists()).toBe(false);
  });
});

describe('NetworkDetailView', () => {
  async function openDemo(name = 'demo') {
    const mounted = await mountNetworkView(NetworkDetailView, { path: `/networks/${name}`, props: { name } });
    wrapper = mounted.wrapper;
    return mounted;
  }

  it('shows the configuration and the attach snippets, each with a copy button', async () => {
    const { wrapper } = await openDemo();
    expect(wrapper.get('h1').text()).toBe('demo');
    expect(wrapper.get('[data-config="bridge"]').text()).toBe('kvbr1');
    expect(wrapper.get('[data-config="subnet"]').text()).toBe('10.78.0.0/24');
    expect(wrapper.findAll('[data-attach] [role="tab"]').map((t) => t.text())).toEqual(['QEMU', 'virt-install', 'libvirt XML', 'qemu-ifup']);
    expect(wrapper.get('[data-snippet="qemu"]').text()).toContain('TAP device kvt-demo-0');
    expect(wrapper.get('[data-snippet="qemu"] [data-action="copy"]').text()).toBe('Copy');
  });

  it('says a routed network with proxy ARP shares its uplink\'s LAN', async () => {
    const wifi: NetworkListing = {
      name: 'wifi', kind: 'routed', backend: 'direct', bridge: 'kv-wifi', subnet: '192.168.1.240/28', gateway: '192.168.1.241', dhcp: { start: '192.168.1.248', end: '192.168.1.254' },
      ipv6: null, active: true, autostart: true, uplink: 'wlan0', managed: true, readOnly: false, proxyArp: true,
    };
    const mounted = await mountNetworkView(NetworkDetailView, {
      path: '/networks/wifi', props: { name: 'wifi' },
      overrides: { 'networks:list': async () => ({ networks: [...LISTED, wifi], problems: [], libvirtAvailable: true }) },
    });
    wrapper = mounted.wrapper;
    expect(wrapper.get('[data-config="proxyArp"]').text()).toBe('(proxy ARP: VMs share its LAN’s subnet)');
    expect(wrapper.get('[data-config="proxyArp"]').element.parentElement?.textContent).toContain('wlan0');
  });

  it('starts, turns autostart on, and deletes only after the confirmation', async () => {
    const { wrapper, bridge, router } = await openDemo();
    await wrapper.get('[data-action="start"]').trigger('click');
    await settle();
    expect(bridge.handlers['networks:start']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo' }));
    expect(wrapper.get('[data-run]').attributes('data-run-status')).toBe('done');
    await wrapper.get('[data-action="autostart"]').setValue(true);
    await settle();
    expect(bridge.handlers['networks:autostart']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo', enabled: true }));

    await wrapper.get('[data-action="delete"]').trigger('click');
    await settle();
    expect(bridge.handlers['networks:delete']).not.toHaveBeenCalled();
    const dialog = wrapper.get('[role="alertdialog"]');
    expect(dialog.text()).toContain('Delete the network “demo”?');
    await dialog.get('[data-action="cancel"]').trigger('click');
    expect(bridge.handlers['networks:delete']).not.toHaveBeenCalled();
    await wrapper.get('[data-action="delete"]').trigger('click');
    await wrapper.get('[role="alertdialog"] [data-action="confirm"]').trigger('click');
    await settle();
    expect(bridge.handlers['networks:delete']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo' }));
    expect(router.currentRoute.value.path).toBe('/networks');
  });

  it('shows a foreign libvirt network read-only, with no controls', async () => {
    const { wrapper } = await openDemo('default');
    expect(wrapper.text()).toContain('shown read-only');
    expect(wrapper.find('[data-action="delete"]').exists()).toBe(false);
    expect(wrapper.find('[data-action="stop"]').exists()).toBe(false);
  });

  it('says plainly when there is no such network', async () => {
    const { wrapper } = await openDemo('gone');
    expect(wrapper.text()).toContain('There is no network “gone”');
  });
});
