import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import BridgedCountdownDialog from '../../../../../renderer/src/components/networks/BridgedCountdownDialog.vue';
import { createAppI18n } from '../../../../../renderer/src/i18n';

const START = Date.parse('2026-11-22T09:00:00.000Z');
const props = { uplink: 'eth0', bridge: 'br-lan', createdAt: new Date(START).toISOString(), deadline: new Date(START + 60_000).toISOString(), busy: null };

let wrapper: VueWrapper | undefined;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  wrapper?.unmount();
  vi.useRealTimers();
});

const open = (extra: Record<string, unknown> = {}, language: 'en' | 'vi' | 'zh-CN' = 'en') =>
  (wrapper = mount(BridgedCountdownDialog, { props: { ...props, ...extra }, global: { plugins: [createAppI18n(language)] }, attachTo: document.body }));

describe('BridgedCountdownDialog', () => {
  it('is a modal alert dialog, named and described, with the focus on "Keep this change"', () => {
    const w = open();
    const dialog = w.get('dialog');
    expect(dialog.attributes('role')).toBe('alertdialog');
    expect((dialog.element as HTMLDialogElement).open).toBe(true);
    expect(document.getElementById(dialog.attributes('aria-labelledby')!)?.textContent).toBe('Keep this network change?');
    expect(document.getElementById(dialog.attributes('aria-describedby')!)?.textContent).toContain('eth0 now reaches the LAN through the bridge br-lan');
    expect(document.activeElement).toBe(w.get('[data-action="keep"]').element);
    expect(w.get('[data-action="keep"]').text()).toBe('Keep this change');
  });

  it('counts down from the deadline, one second at a time, and stops at zero', async () => {
    const w = open();
    expect(w.get('[data-seconds-left]').text()).toBe('60');
    expect(w.get('[role="timer"]').attributes('aria-label')).toBe('60 seconds left');
    vi.advanceTimersByTime(15_000);
    await w.vm.$nextTick();
    expect(w.get('[data-seconds-left]').text()).toBe('45');
    vi.advanceTimersByTime(120_000);
    await w.vm.$nextTick();
    expect(w.get('[data-seconds-left]').text()).toBe('0');
  });

  it('Keep and Undo now say so; Escape (the dialog\'s cancel) is Undo now, the safe way out', async () => {
    const w = open();
    await w.get('[data-action="keep"]').trigger('click');
    await w.get('[data-action="undo-now"]').trigger('click');
    w.get('dialog').element.dispatchEvent(new Event('cancel', { cancelable: true }));
    await w.get('dialog').trigger('keydown', { key: 'Escape' });
    expect(w.emitted('keep')).toHaveLength(1);
    expect(w.emitted('undo')).toHaveLength(3);
  });

  it('takes no second answer while main is at the first, and shows a failure', async () => {
    const w = open({ busy: 'keep', error: 'the helper stopped' });
    expect(w.get('[data-action="keep"]').attributes('disabled')).toBeDefined();
    expect(w.get('[data-action="undo-now"]').attributes('disabled')).toBeDefined();
    w.get('dialog').element.dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(w.emitted('undo')).toBeUndefined();
    expect(w.get('[role="alert"]').text()).toBe('the helper stopped');
  });

  it.each([['vi', 'Giữ thay đổi này', 'Hoàn tác ngay'], ['zh-CN', '保留此更改', '立即撤销']] as const)('speaks %s', (language, keep, undo) => {
    const w = open({}, language);
    expect(w.get('[data-action="keep"]').text()).toBe(keep);
    expect(w.get('[data-action="undo-now"]').text()).toBe(undo);
  });
});
