/** The languages the UI ships in; each name is written in its own language for the switcher. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'vi', name: 'Tiếng Việt' },
  { code: 'zh-CN', name: '简体中文' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const isLanguage = (value: unknown): value is Language => LANGUAGES.some((l) => l.code === value);

/** The closest shipped language for a BCP 47 tag such as navigator.language ('vi-VN', 'zh-Hans-CN'). */
export function matchLanguage(tag: string | undefined): Language {
  const lower = (tag ?? '').toLowerCase();
  if (lower.startsWith('vi')) return 'vi';
  if (lower.startsWith('zh')) return 'zh-CN';
  return 'en';
}
