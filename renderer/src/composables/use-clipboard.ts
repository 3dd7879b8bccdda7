import { onBeforeUnmount, ref } from 'vue';

export type CopyState = 'idle' | 'copied' | 'failed';

/** how long "Copied" stays on the button before it says "Copy" again */
export const COPIED_FOR_MS = 1600;

/** Copies text to the clipboard and says, for a moment, whether it worked. */
export function useClipboard() {
  const state = ref<CopyState>('idle');
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function copy(text: string): Promise<void> {
    clearTimeout(timer);
    try {
      await navigator.clipboard.writeText(text);
      state.value = 'copied';
    } catch {
      state.value = 'failed';
    }
    timer = setTimeout(() => { state.value = 'idle'; }, COPIED_FOR_MS);
  }

  onBeforeUnmount(() => clearTimeout(timer));
  return { state, copy };
}
