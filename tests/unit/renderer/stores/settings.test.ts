import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setActivePinia } from 'pinia';
import { createTestingPinia } from '@pinia/testing';
import { LANGUAGE_KEY, THEME_KEY, useSettingsStore } from '../../../../renderer/src/stores/settings';

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createTestingPinia({ stubActions: false, createSpy: vi.fn }));
});
afterEach(() => vi.restoreAllMocks());

describe('settings store', () => {
  it('defaults to the system theme and the closest language to the browser', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('vi-VN');
    const settings = useSettingsStore();
    expect(settings.theme).toBe('system');
    expect(settings.language).toBe('vi');
  });

  it('persists the language and theme and reads them back in a new session', () => {
    const settings = useSettingsStore();
    settings.setLanguage('zh-CN');
    settings.setTheme('dark');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('zh-CN');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    setActivePinia(createTestingPinia({ stubActions: false, createSpy: vi.fn }));
    const reopened = useSettingsStore();
    expect(reopened.language).toBe('zh-CN');
    expect(reopened.theme).toBe('dark');
  });

  it('ignores stored values it does not know', () => {
    localStorage.setItem(LANGUAGE_KEY, 'klingon');
    localStorage.setItem(THEME_KEY, 'neon');
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('en-GB');
    const settings = useSettingsStore();
    expect(settings.language).toBe('en');
    expect(settings.theme).toBe('system');
  });
});
