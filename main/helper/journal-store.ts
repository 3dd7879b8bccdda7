import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JOURNAL_DIR } from '../core/paths';
import { APPLY_ID, decodeJournal, encodeJournal, type Journal } from './journal';

export type StoredJournal = { applyId: string; journal: Journal } | { applyId: string; error: string };

/**
 * Journals on disk, one file per apply. A write lands whole or not at all (temporary file, fsync,
 * rename, fsync of the directory), so a kill -9 at any instant leaves the previous version or the
 * new one, never a torn file.
 */
export class JournalStore {
  constructor(readonly dir: string = JOURNAL_DIR) {}

  async prepare(): Promise<void> {
    await mkdir(dirname(this.dir), { recursive: true, mode: 0o755 });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
  }

  /**
   * Synchronous calls, as the helper's other small files (host-io.ts): the eight steps of a durable
   * write would each be a thread pool round trip, which on a busy machine costs more than the sync.
   */
  async write(journal: Journal): Promise<void> {
    const text = encodeJournal(journal);
    const target = this.fileOf(journal.applyId);
    const temporary = `${target}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
    this.syncDir();
  }

  async remove(applyId: string): Promise<void> {
    rmSync(this.fileOf(applyId), { force: true });
    this.syncDir();
  }

  /** every journal left behind; half-written temporary files are dropped (their rename never happened) */
  async list(): Promise<StoredJournal[]> {
    const names = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
    const found: StoredJournal[] = [];
    for (const name of names.sort()) {
      if (name.endsWith('.json.tmp')) {
        await rm(join(this.dir, name), { force: true });
        continue;
      }
      const applyId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
      if (applyId === undefined || !APPLY_ID.test(applyId)) continue;
      try {
        found.push({ applyId, journal: decodeJournal(await readFile(join(this.dir, name), 'utf8')) });
      } catch (e) {
        found.push({ applyId, error: (e as Error).message });
      }
    }
    return found;
  }

  /** keeps an unreadable journal for a human instead of deleting evidence */
  async setAside(applyId: string): Promise<void> {
    await rename(this.fileOf(applyId), join(this.dir, `${applyId}.unreadable`));
  }

  private fileOf(applyId: string): string {
    if (!APPLY_ID.test(applyId)) throw new Error(`bad journal id ${applyId}`);
    return join(this.dir, `${applyId}.json`);
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
