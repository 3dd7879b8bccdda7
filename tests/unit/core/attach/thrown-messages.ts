import { z } from 'zod';

/** what a call throws, as the messages a user would read (a ZodError's issues, one per line) */
export function thrownMessages(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (error instanceof z.ZodError) return error.issues.map((issue) => issue.message).join('\n');
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the call to throw');
}
