import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { PrivilegeState } from '../../../../main/core/privilege-state';
import TheStatusBar from '../../../../renderer/src/components/TheStatusBar.vue';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { useHostStore } from '../../../../renderer/src/stores/host';
import { usePrivilegeStore } from '../../../../renderer/src/stores/privilege';
import { installFakeBridge, removeBridge } from '../fixtures/fake-bridge';
import { hostSnapshot } from '../fixtures/host-snapshot';
import { mountAppPart } from '../fixtures/mount-app-part';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

async function statusBar(state: PrivilegeState, language?: 'en' | 'vi' | 'zh-CN') {
  installFakeBridge();
  const mounted = mountAppPart(TheStatusBar, { language });
  wrapper = mounted.wrapper;
  const privilege = usePrivilegeStore(mounted.pinia);
  const host = useHostStore(mounted.pinia);
  privilege.state = state;
  await flushPromises();
  return { wrapper: mounted.wrapper, privilege, host };
}

const text = (w: VueWrapper) => w.get('[data-privilege-text]').text();

describe('TheStatusBar', () => {
  it.each<[PrivilegeState, string]>([
    [{ status: 'read-only' }, 'Read-only — administrator rights are needed to change networks'],
    [{ status: 'elevating', method: 'pkexec' }, 'Asking for administrator rights…'],
    [{ status: 'elevated', method: 'pkexec', helperPid: 12 }, 'Administrator rights granted through pkexec'],
    [{ status: 'elevated', method: 'root', helperPid: 12 }, 'Administrator rights: running as root'],
    [{ status: 'refused', reason: 'dismissed', message: 'pkexec: 126' }, 'Read-only — the authentication dialog was dismissed'],
    [{ status: 'refused', reason: 'not-authorized', message: 'pkexec: 127' }, 'Read-only — the system did not authorise administrator rights'],
    [{ status: 'refused', reason: 'helper-crashed', message: 'exit 1' }, 'Read-only — the privileged helper stopped unexpectedly'],
  ])('says %j in plain words', async (state, expected) => {
    const { wrapper } = await statusBar(state);
    expect(text(wrapper)).toBe(expected);
  });

  it('offers Unlock while read-only and calls elevate()', async () => {
    const { wrapper, privilege } = await statusBar({ status: 'read-only' });
    const unlock = wrapper.get('[data-action="unlock"]');
    expect(unlock.text()).toBe('Unlock');
    await unlock.trigger('click');
    expect(privilege.elevate).toHaveBeenCalledTimes(1);
  });

  it('offers to try again after a refusal and shows the technical reason as a tooltip', async () => {
    const { wrapper } = await statusBar({ status: 'refused', reason: 'dismissed', message: 'pkexec exited with status 126' });
    expect(wrapper.get('[data-action="unlock"]').text()).toBe('Try again');
    expect(wrapper.get('[data-privilege-text]').attributes('title')).toBe('pkexec exited with status 126');
  });

  it('hides Unlock once elevated', async () => {
    const { wrapper } = await statusBar({ status: 'elevated', method: 'root', helperPid: 1 });
    expect(wrapper.find('[data-action="unlock"]').exists()).toBe(false);
  });

  it('explains what administrator rights will touch, and closes with Escape back to its button', async () => {
    const { wrapper } = await statusBar({ status: 'read-only' });
    const why = wrapper.get('[data-action="why"]');
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.isVisible()).toBe(false);
    await why.trigger('click');
    expect(why.attributes('aria-expanded')).toBe('true');
    expect(dialog.isVisible()).toBe(true);
    expect(dialog.text()).toContain('nftables');
    expect(dialog.text()).toContain('/etc/kvmnet');
    await nextTick();
    expect(document.activeElement).toBe(dialog.element);
    await dialog.trigger('keydown', { key: 'Escape' });
    expect(why.attributes('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(why.element);
  });

  it('shows the host name, the live state, when it last updated, and that this is the test transport', async () => {
    const { wrapper, host } = await statusBar({ status: 'read-only' });
    host.snapshot = hostSnapshot();
    host.live = true;
    host.receivedAt = new Date();
    await nextTick();
    expect(wrapper.get('[data-status="hostname"]').text()).toContain('lab-host');
    expect(wrapper.get('[data-status="live"]').text()).toMatch(/^Live\s*·\s*Updated just now$/);
    expect(wrapper.get('[data-status="transport"]').text()).toBe('Test transport');
    host.error = new KvmnetError('INTERNAL', 'observer stopped');
    await nextTick();
    expect(wrapper.get('[data-status="live"]').text()).toContain('Not receiving updates');
  });

  it('reports a failed privilege check instead of guessing', async () => {
    const { wrapper, privilege } = await statusBar({ status: 'read-only' });
    privilege.error = new KvmnetError('INTERNAL', 'no handler');
    await nextTick();
    expect(text(wrapper)).toBe('Could not check administrator rights: no handler');
  });

  it('speaks Vietnamese', async () => {
    const { wrapper } = await statusBar({ status: 'read-only' }, 'vi');
    expect(text(wrapper)).toBe('Chỉ đọc — cần quyền quản trị để thay đổi mạng');
    expect(wrapper.get('[data-action="unlock"]').text()).toBe('Mở khóa');
  });
});
