import { computed, type ComputedRef, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useNow } from './use-now';

const JUST_NOW_SECONDS = 10;
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]];

/** "5 minutes ago" in the UI language (Intl does the grammar); the recent past reads "just now". */
export function formatRelative(then: Date, now: Date, locale: string, justNow: string): string {
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < JUST_NOW_SECONDS) return justNow;
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

export function useRelativeTime(date: Ref<Date | null>): ComputedRef<string | null> {
  const { t, locale } = useI18n();
  const now = useNow();
  return computed(() => (date.value ? formatRelative(date.value, now.value, locale.value, t('status.justNow')) : null));
}
