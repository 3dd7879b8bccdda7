import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import NetworksView from '../../../../../renderer/src/views/NetworksView.vue';
import type { BridgedDeleteResult, BridgedList } from '../../../../../main/ipc/bridged-channels';
import { removeBridge } from '../../fixtures/fake-bridge';
import { mountNetworkView, settle } from '../../fixtures/mount-network-view';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

const list: BridgedList = {
  bridges: [
    { name: 'lan', uplink: 'eth0', bridge: 'br-lan', persistence: 'networkmanager', state: 'active' },
    { name: 'office', uplink: 'eth1', bridge: 'br-office', persistence: 'runtime', state: 'pending-create', deadline: '2026-11-22T09:01:00.000Z', overdue: false },
  ],
};

describe('Bridges to the LAN on the Networks page', () => {
  it('lists them with who keeps them; one waiting for confirmation is kept or undone, not deleted', async () => {
    const mounted = await mountNetworkView(NetworksView, { path: '/networks', overrides: { 'bridged:list': vi.fn(async () => list) } });
    wrapper = mounted.wrapper;
    const rows = wrapper.findAll('[data-bridged-row]');
    expect(rows.map((r) => r.attributes('data-bridged-row'))).toEqual(['lan', 'office']);
    expect(rows[0]!.text()).toContain('NetworkManager');
    expect(rows[0]!.get('[data-action="delete-bridged"]').attributes('disabled')).toBeUndefined();
    expect(rows[1]!.text()).toContain('Nobody (gone at reboot)');
    expect(rows[1]!.get('[data-state]').text()).toMatch(/^Waiting for confirmation until /);
    expect(rows[1]!.find('[data-action="delete-bridged"]').exists()).toBe(false);
    expect(rows[1]!.get('[data-action="keep-bridged"]').text()).toBe('Keep this change');
  });

  it('keeps a change another process left waiting (kvmnet create bridged --no-wait)', async () => {
    const confirm = vi.fn(async () => ({ status: 'ended' as const, ended: { network: 'office', armId: 'arm-9', outcome: 'confirmed' as const, cause: 'kept' as const } }));
    const mounted = await mountNetworkView(NetworksView, { path: '/networks', overrides: { 'bridged:list': vi.fn(async () => list), 'bridged:confirm': confirm } });
    wrapper = mounted.wrapper;
    await wrapper.get('[data-bridged-row="office"] [data-action="keep-bridged"]').trigger('click');
    await settle();
    expect(confirm).toHaveBeenCalledWith({ name: 'office' });
    expect(wrapper.get('[data-bridged-resolved]').text()).toBe('“office” is kept.');
  });

  it('undoes one, and says why it is gone', async () => {
    const rollback = vi.fn(async () => ({ status: 'ended' as const, ended: { network: 'office', armId: 'arm-9', outcome: 'rolled-back' as const, cause: 'undone' as const } }));
    const mounted = await mountNetworkView(NetworksView, { path: '/networks', overrides: { 'bridged:list': vi.fn(async () => list), 'bridged:rollback': rollback } });
    wrapper = mounted.wrapper;
    await wrapper.get('[data-bridged-row="office"] [data-action="undo-bridged"]').trigger('click');
    await settle();
    expect(rollback).toHaveBeenCalledWith({ name: 'office' });
    expect(wrapper.get('[data-bridged-resolved]').text()).toBe('“office” was rolled back. You chose Undo now.');
  });

  it('shows nothing when there are none', async () => {
    const mounted = await mountNetworkView(NetworksView, { path: '/networks' });
    wrapper = mounted.wrapper;
    expect(wrapper.find('[data-bridged-list]').exists()).toBe(false);
  });

  it('deletes one after asking, and follows the list main pushes', async () => {
    const remove = vi.fn(async ({ name }: { name: string }): Promise<BridgedDeleteResult> => ({ status: 'deleted', network: name, run: { status: 'done', steps: [], rolledBack: [], left: [] }, checks: [] }));
    const mounted = await mountNetworkView(NetworksView, { path: '/networks', overrides: { 'bridged:list': vi.fn(async () => list), 'bridged:delete': remove } });
    wrapper = mounted.wrapper;
    await wrapper.get('[data-bridged-row="lan"] [data-action="delete-bridged"]').trigger('click');
    expect(remove).not.toHaveBeenCalled();
    await wrapper.get('dialog [data-action="confirm"]').trigger('click');
    await settle();
    expect(remove).toHaveBeenCalledWith(expect.objectContaining({ name: 'lan' }));
    expect(wrapper.get('[data-bridged-delete-result]').text()).toBe('“lan” was deleted; the connection is as it was before the bridge.');
    mounted.bridge.emit('bridged:changed', { bridges: [list.bridges[1]!] });
    await settle();
    expect(wrapper.findAll('[data-bridged-row]').map((r) => r.attributes('data-bridged-row'))).toEqual(['office']);
  });
});
