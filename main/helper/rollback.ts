import type { HostIo } from './host-io';
import { rollbackOrder, type Journal, type JournalEntry } from './journal';
import type { JournalStore } from './journal-store';
import { ensureHostUndo } from './ensure-host';
import { afterUndo, describeUndo, isHostUndo, reconcile, type Undo } from './undo';

export interface RollbackHooks {
  undoing?(entry: JournalEntry): void;
  undone?(entry: JournalEntry): void;
  undoFailed?(entry: JournalEntry, left: string[]): void;
}

export interface RollbackResult {
  /** entries whose every undo action now holds */
  restored: JournalEntry[];
  /** what could not be restored, in plain words */
  left: string[];
}

async function ensureSysctl(undo: Extract<Undo, { ensure: 'sysctl' }>, io: HostIo): Promise<void> {
  const current = await io.readSysctl(undo.path);
  // the interface is gone: there is nothing left to restore
  if (current === undefined || current === undo.value) return;
  await io.writeSysctl(undo.path, undo.value);
}

/**
 * Makes every undo action of one step hold, in order; returns what could not be done. Link-level
 * actions are reconciled against one read of the host and run as one batch; when a line fails,
 * the actions after it are reconciled again against a fresh read. Sysctl and host-level actions
 * (firewall, dnsmasq, libvirt, files) each stand alone.
 */
async function restore(undos: readonly Undo[], io: HostIo): Promise<string[]> {
  const left: string[] = [];
  let next = 0;
  while (next < undos.length) {
    const first = undos[next]!;
    try {
      if (first.ensure === 'sysctl') {
        await ensureSysctl(first, io);
        next++;
        continue;
      }
      if (isHostUndo(first)) {
        const notRestored = await ensureHostUndo(first, io);
        if (notRestored !== undefined) left.push(notRestored);
        next++;
        continue;
      }
      let links = await io.readLinks();
      const lines: string[] = [];
      const owners: number[] = [];
      const refused: { index: number; message: string }[] = [];
      let end = next;
      for (; end < undos.length; end++) {
        const undo = undos[end]!;
        if (undo.ensure === 'sysctl' || isHostUndo(undo)) break;
        const reconciled = reconcile(undo, links);
        if ('left' in reconciled) {
          refused.push({ index: end, message: reconciled.left });
          continue;
        }
        for (const line of reconciled.lines) {
          lines.push(line);
          owners.push(end);
        }
        links = afterUndo(undo, links);
      }
      const outcome = lines.length === 0 ? { ok: true as const } : await io.runIpBatch(lines);
      const failed = outcome.ok ? end : outcome.failedLine === undefined ? next : (owners[outcome.failedLine - 1] ?? next);
      // refusals after a failed line are judged again on the fresh read
      left.push(...refused.filter((r) => r.index < failed).map((r) => r.message));
      if (!outcome.ok) left.push(`could not ${describeUndo(undos[failed]!)}: ${outcome.message}`);
      next = outcome.ok ? end : failed + 1;
    } catch (e) {
      left.push(`could not ${describeUndo(first)}: ${(e as Error).message}`);
      next++;
    }
  }
  return left;
}

/**
 * Restores the host from a journal: steps in flight first, then completed steps, newest first.
 * After each step the journal is rewritten without it, so a crash during the rollback resumes
 * where it stopped instead of replaying undos against a state they no longer describe.
 */
export async function rollBack(journal: Journal, io: HostIo, store: JournalStore, hooks: RollbackHooks = {}): Promise<RollbackResult> {
  const restored: JournalEntry[] = [];
  const left: string[] = [];
  for (const entry of rollbackOrder(journal)) {
    hooks.undoing?.(entry);
    const entryLeft = await restore(entry.undo, io);
    if (entryLeft.length === 0) {
      restored.push(entry);
      hooks.undone?.(entry);
    } else {
      left.push(...entryLeft);
      hooks.undoFailed?.(entry, entryLeft);
    }
    journal.running = journal.running.filter((e) => e !== entry);
    journal.done = journal.done.filter((e) => e !== entry);
    try {
      await store.write(journal);
    } catch (e) {
      left.push(`could not update the journal ${journal.applyId}: ${(e as Error).message}`);
    }
  }
  return { restored, left };
}
