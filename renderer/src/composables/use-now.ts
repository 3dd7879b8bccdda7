import { onScopeDispose, ref, type Ref } from 'vue';

/** The current time, refreshed every `intervalMs`, for labels such as "updated 5 seconds ago". */
export function useNow(intervalMs = 1000): Ref<Date> {
  const now = ref(new Date());
  const timer = setInterval(() => { now.value = new Date(); }, intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
