import { afterEach, describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import SettingsView from '../../../../renderer/src/views/SettingsView.vue';
import { useSettingsStore } from '../../../../renderer/src/stores/settings';
import { mountAppPart } from '../fixtures/mount-app-part';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  localStorage.clear();
});

describe('SettingsView', () => {
  it('offers each language in its own name, with a label tied to the control', () => {
    const mounted = mountAppPart(SettingsView, { stubActions: false });
    wrapper = mounted.wrapper;
    const select = wrapper.get('select');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['English', 'Tiếng Việt', '简体中文']);
    expect(wrapper.get(`label[for="${select.attributes('id')}"]`).text()).toBe('Language');
  });

  it('changes the language and theme through the store', async () => {
    const mounted = mountAppPart(SettingsView, { stubActions: false });
    wrapper = mounted.wrapper;
    const settings = useSettingsStore(mounted.pinia);
    await wrapper.get('select').setValue('zh-CN');
    expect(settings.language).toBe('zh-CN');
    const radios = wrapper.findAll('[data-setting="theme"] input[type="radio"]');
    expect(radios.map((r) => r.attributes('value'))).toEqual(['system', 'light', 'dark']);
    await radios[2]!.setValue(true);
    expect(settings.theme).toBe('dark');
    expect(wrapper.get('[data-setting="theme"] .checked').text()).toBe('Dark');
  });

  it('keeps the backend new networks get, and remembers it', async () => {
    const mounted = mountAppPart(SettingsView, { stubActions: false });
    wrapper = mounted.wrapper;
    const settings = useSettingsStore(mounted.pinia);
    const radios = wrapper.findAll('[data-setting="backend"] input[type="radio"]');
    expect(radios.map((r) => r.attributes('value'))).toEqual(['auto', 'libvirt', 'direct']);
    expect(settings.backend).toBe('auto');
    await radios[2]!.setValue(true);
    expect(settings.backend).toBe('direct');
    expect(localStorage.getItem('kvmnet.backend')).toBe('direct');
    expect(wrapper.get('[data-setting="backend"] .checked').text()).toBe('Direct');
  });
});
