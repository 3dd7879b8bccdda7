import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDnsmasq, readRecords } from '../../../main/host/doctor-facts/read-kvmnet-state';

const record = { version: 1, spec: { name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: null, autostart: true } };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kvmnet-doctor-state-'));
  await mkdir(join(root, 'networks'));
  await writeFile(join(root, 'networks', 'lab.json'), JSON.stringify(record));
  await writeFile(join(root, 'networks', 'torn.json'), '{"version": 1, "spec": {');
  await writeFile(join(root, 'networks', 'old.json'), JSON.stringify({ ...record, version: 2 }));
  await writeFile(join(root, 'networks', 'notes.txt'), 'not a record');
  // a /proc with one live dnsmasq (pid 4242) and one reused pid (4343)
  await mkdir(join(root, 'proc', '4242'), { recursive: true });
  await writeFile(join(root, 'proc', '4242', 'comm'), 'dnsmasq\n');
  await mkdir(join(root, 'proc', '4343'));
  await writeFile(join(root, 'proc', '4343', 'comm'), 'firefox\n');
  await writeFile(join(root, 'live.pid'), '4242\n');
  await writeFile(join(root, 'reused.pid'), '4343\n');
  await writeFile(join(root, 'dead.pid'), '4444\n');
  await writeFile(join(root, 'garbled.pid'), 'dnsmasq\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readRecords', () => {
  it('keeps the records that parse and reports each file that does not, with why', async () => {
    const read = await readRecords(join(root, 'networks'));
    expect(read.records).toEqual([record]);
    expect(read.recordProblems).toEqual([
      { file: join(root, 'networks', 'old.json'), reason: expect.stringMatching(/^not a KVMNet network record: /) },
      { file: join(root, 'networks', 'torn.json'), reason: expect.stringMatching(/^not JSON: /) },
    ]);
  });

  it('reads a missing directory as no networks', async () => {
    expect(await readRecords(join(root, 'nowhere'))).toEqual({ records: [], recordProblems: [] });
  });
});

describe('readDnsmasq', () => {
  const read = (file: string) => readDnsmasq('lab', join(root, file), join(root, 'proc'));

  it('names the process behind the pid', async () => {
    expect(await read('live.pid')).toEqual({ network: 'lab', pidFile: join(root, 'live.pid'), pid: 4242, process: 'dnsmasq' });
    expect((await read('reused.pid')).process).toBe('firefox');
  });

  it('tells a dead pid, a garbled file and a missing file apart', async () => {
    expect(await read('dead.pid')).toMatchObject({ pid: 4444, process: null });
    expect(await read('garbled.pid')).toMatchObject({ pid: null, process: null });
    expect(await read('missing.pid')).toMatchObject({ pid: null, process: null });
  });
});
