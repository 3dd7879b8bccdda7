import { onScopeDispose, ref, watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';
import { useSettingsStore } from '../stores/settings';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Applies the chosen language and theme to the document: `lang` for screen readers and fonts,
 * `data-theme` for the CSS variables. "system" follows the desktop's setting while the app runs.
 */
export function useAppearance(): void {
  const settings = useSettingsStore();
  const { locale } = useI18n({ useScope: 'global' });
  const media = window.matchMedia(DARK_QUERY);
  const systemDark = ref(media.matches);
  const onChange = (e: MediaQueryListEvent) => { systemDark.value = e.matches; };
  media.addEventListener('change', onChange);
  onScopeDispose(() => media.removeEventListener('change', onChange));

  watchEffect(() => {
    locale.value = settings.language;
    document.documentElement.lang = settings.language;
    const dark = settings.theme === 'dark' || (settings.theme === 'system' && systemDark.value);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  });
}
