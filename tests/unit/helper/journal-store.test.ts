import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalStore } from '../../../main/helper/journal-store';
import type { Journal } from '../../../main/helper/journal';

const journal = (applyId: string): Journal => ({
  format: 1, applyId, requestId: 'r', writer: { pid: 1, startTime: '1' }, startedAt: 'now',
  plan: { steps: [{ op: 'link.setState', name: 'kvbr0', up: true }] }, done: [], running: [{ index: 0, op: 'link.setState', undo: [{ ensure: 'link.up', name: 'kvbr0', up: false }] }],
});

describe('JournalStore (on a temporary directory)', () => {
  let root: string;
  let store: JournalStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kvmnet-journal-'));
    store = new JournalStore(join(root, 'state', 'journal'));
    await store.prepare();
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('keeps journals in a directory only root can read', async () => {
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
  });

  it('writes, rewrites, lists and removes', async () => {
    await store.write(journal('a-1'));
    const next = journal('a-1');
    next.done = next.running;
    next.running = [];
    await store.write(next);
    await store.write(journal('b-2'));
    expect((await store.list()).map((j) => ('journal' in j ? j.journal : j))).toEqual([next, journal('b-2')]);
    expect((await readdir(store.dir)).sort()).toEqual(['a-1.json', 'b-2.json']);
    await store.remove('a-1');
    expect((await store.list()).map((j) => j.applyId)).toEqual(['b-2']);
  });

  it('drops a temporary file a crash left behind and reports an unreadable journal', async () => {
    await writeFile(join(store.dir, 'c-3.json.tmp'), '{"half');
    await writeFile(join(store.dir, 'd-4.json'), 'not json');
    await writeFile(join(store.dir, 'notes.txt'), 'ignored');
    const found = await store.list();
    expect(found).toEqual([{ applyId: 'd-4', error: expect.any(String) }]);
    expect(await readdir(store.dir)).not.toContain('c-3.json.tmp');
    await store.setAside('d-4');
    expect((await readdir(store.dir)).sort()).toEqual(['d-4.unreadable', 'notes.txt']);
  });

  it('refuses ids that could name another path', async () => {
    await expect(store.write(journal('../escape'))).rejects.toThrow();
    await expect(store.remove('../../etc/passwd')).rejects.toThrow(/bad journal id/);
  });
});
