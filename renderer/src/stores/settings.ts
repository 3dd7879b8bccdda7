import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { isLanguage, matchLanguage, type Language } from '../i18n/languages';
import { BACKEND_CHOICES, type BackendChoice } from '../model/network-form';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
const isTheme = (value: unknown): value is Theme => THEMES.includes(value as Theme);

export const LANGUAGE_KEY = 'kvmnet.language';
export const THEME_KEY = 'kvmnet.theme';
export const BACKEND_KEY = 'kvmnet.backend';
const isBackend = (value: unknown): value is BackendChoice => BACKEND_CHOICES.includes(value as BackendChoice);

function read<T>(key: string, valid: (v: unknown) => v is T): T | undefined {
  try {
    const value = localStorage.getItem(key);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage can be disabled; the choice then lasts for this window only
  }
}

/** Per-user appearance choices, kept in the renderer's localStorage (nothing here needs the host). */
export const useSettingsStore = defineStore('settings', () => {
  const language = ref<Language>(read(LANGUAGE_KEY, isLanguage) ?? matchLanguage(navigator.language));
  const theme = ref<Theme>(read(THEME_KEY, isTheme) ?? 'system');
  /** the backend new networks get; "auto" is libvirt when libvirtd answers, else direct */
  const backend = ref<BackendChoice>(read(BACKEND_KEY, isBackend) ?? 'auto');

  watch(language, (v) => write(LANGUAGE_KEY, v), { flush: 'sync' });
  watch(theme, (v) => write(THEME_KEY, v), { flush: 'sync' });
  watch(backend, (v) => write(BACKEND_KEY, v), { flush: 'sync' });

  function setLanguage(next: Language): void {
    language.value = next;
  }
  function setTheme(next: Theme): void {
    theme.value = next;
  }

  function setBackend(next: BackendChoice): void {
    backend.value = next;
  }

  return { language, theme, backend, setLanguage, setTheme, setBackend };
});
