import { withApplyLock } from './apply-lock';
import type { HostIo } from './host-io';
import type { JournalStore } from './journal-store';
import { isRunning } from './process-identity';
import { rollBack } from './rollback';

/**
 * Before serving, restores the host from every journal a dead helper left behind (killed, host
 * crashed, power lost) and deletes it. Returns how many were rolled back.
 */
export async function recoverJournals(store: JournalStore, io: HostIo, log: (line: string) => void): Promise<number> {
  await store.prepare();
  // waits for a live apply to finish, and keeps two starting helpers from rolling back the same journal
  return withApplyLock(store.dir, () => recoverUnlocked(store, io, log));
}

async function recoverUnlocked(store: JournalStore, io: HostIo, log: (line: string) => void): Promise<number> {
  let recovered = 0;
  for (const found of await store.list()) {
    if ('error' in found) {
      log(`journal ${found.applyId} is unreadable (${found.error}); set aside as ${found.applyId}.unreadable`);
      await store.setAside(found.applyId);
      continue;
    }
    const { journal } = found;
    if (await isRunning(journal.writer)) {
      log(`journal ${journal.applyId} belongs to helper ${journal.writer.pid}, which is still running; left alone`);
      continue;
    }
    const steps = journal.done.length + journal.running.length;
    const { left } = await rollBack(journal, io, store);
    await store.remove(journal.applyId);
    recovered++;
    log(`rolled back unfinished apply ${journal.applyId}${journal.plan.description ? ` (${journal.plan.description})` : ''} (request ${journal.requestId}, ${steps} step(s))${left.length ? `; could not restore: ${left.join('; ')}` : ''}`);
  }
  return recovered;
}
