import { createI18n } from 'vue-i18n';
import { en, type Messages } from './en';
import { vi } from './vi';
import { zhCN } from './zh-CN';
import type { Language } from './languages';

export const messages: Record<Language, Messages> = { en, vi, 'zh-CN': zhCN };

export function createAppI18n(locale: Language) {
  return createI18n<[Messages], Language, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
