import { z } from 'zod';
import { Plan } from './protocol';
import { Undo } from './undo';

/**
 * The record of one apply, rewritten before each batch: the plan, the inverses of the steps that
 * completed and of the steps in flight. Whoever finds it later (a helper started after a crash)
 * restores the host from it alone.
 */
export const JournalEntry = z.object({ index: z.number().int().min(0), op: z.string(), undo: z.array(Undo) }).strict();
export type JournalEntry = z.infer<typeof JournalEntry>;

export const ProcessIdentity = z.object({ pid: z.number().int().positive(), startTime: z.string().regex(/^[0-9]+$/) }).strict();
export type ProcessIdentity = z.infer<typeof ProcessIdentity>;

export const APPLY_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const Journal = z
  .object({
    format: z.literal(1),
    applyId: z.string().regex(APPLY_ID),
    requestId: z.string(),
    /** the helper that wrote it; its journal is not recovered while it still runs */
    writer: ProcessIdentity,
    startedAt: z.string(),
    plan: Plan,
    done: z.array(JournalEntry),
    running: z.array(JournalEntry),
  })
  .strict();
export type Journal = z.infer<typeof Journal>;

/**
 * Validating the inverses here means a malformed one fails the apply before its step runs. The
 * plan, most of the journal, was validated when the request came (and a journal read back is
 * validated whole by decodeJournal).
 */
export function encodeJournal(journal: Journal): string {
  z.array(JournalEntry).parse([...journal.done, ...journal.running]);
  return `${JSON.stringify(journal)}\n`;
}

export const decodeJournal = (text: string): Journal => Journal.parse(JSON.parse(text));

/** the order a rollback restores in: steps in flight newest first, then completed steps newest first */
export const rollbackOrder = (journal: Pick<Journal, 'done' | 'running'>): JournalEntry[] =>
  [...journal.running].reverse().concat([...journal.done].reverse());
