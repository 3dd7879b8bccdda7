import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createTestingPinia } from '@pinia/testing';
import App from '../../../renderer/src/App.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { createAppRouter } from '../../../renderer/src/router';
import { useHostStore } from '../../../renderer/src/stores/host';
import { usePrivilegeStore } from '../../../renderer/src/stores/privilege';
import { useSettingsStore } from '../../../renderer/src/stores/settings';
import { installFakeBridge, removeBridge } from './fixtures/fake-bridge';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
  localStorage.clear();
});

async function mountApp() {
  installFakeBridge();
  const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
  const router = createAppRouter();
  const i18n = createAppI18n('en');
  wrapper = mount(App, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body });
  await router.isReady();
  await flushPromises();
  return { wrapper, pinia, router };
}

describe('App', () => {
  it('has the desktop landmarks: navigation, main content and a status footer', async () => {
    const { wrapper } = await mountApp();
    expect(wrapper.get('nav').attributes('aria-label')).toBe('Main navigation');
    expect(wrapper.find('main#main').exists()).toBe(true);
    expect(wrapper.get('footer').attributes('aria-label')).toBe('Status');
  });

  it('starts the host and privilege stores, so the overview fills from the main process', async () => {
    const { wrapper, pinia } = await mountApp();
    expect(useHostStore(pinia).start).toHaveBeenCalled();
    expect(usePrivilegeStore(pinia).start).toHaveBeenCalled();
    // the overview opens on its diagram; the list of the same snapshot names the bridge
    await wrapper.get('[data-tab="list"]').trigger('click');
    expect(wrapper.find('[data-bridge="kvbr0"]').exists()).toBe(true);
  });

  it('moves focus to the content with the skip button, without navigating', async () => {
    const { wrapper, router } = await mountApp();
    await wrapper.get('.skip-link').trigger('click');
    expect(document.activeElement?.id).toBe('main');
    expect(router.currentRoute.value.path).toBe('/');
  });

  it('navigates with the sidebar and marks the current page', async () => {
    const { wrapper, router } = await mountApp();
    await router.push('/settings');
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('Settings');
    expect(wrapper.get('nav [aria-current="page"]').text()).toBe('Settings');
  });

  it('applies the chosen language and theme to the document', async () => {
    const { pinia } = await mountApp();
    const settings = useSettingsStore(pinia);
    settings.setLanguage('vi');
    settings.setTheme('dark');
    await flushPromises();
    expect(document.documentElement.lang).toBe('vi');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(wrapper!.get('nav').attributes('aria-label')).toBe('Điều hướng chính');
  });
});
