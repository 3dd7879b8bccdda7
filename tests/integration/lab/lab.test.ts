import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { readHostState } from '../../lab/host-state';

const skip = labUnavailableReason();
if (skip) console.log(`skipped lab tests: ${skip}`);

describe.skipIf(skip)('lab namespace', () => {
  let lab: Lab;
  beforeAll(async () => { lab = await startLab(); });
  afterAll(async () => { await lab?.close(); });

  it('sees only its own loopback, not the machine interfaces', async () => {
    const names = (JSON.parse(await lab.sh('ip', ['-j', 'link'])) as { ifname: string }[]).map((l) => l.ifname);
    expect(names).toEqual(['lo']);
    expect(await lab.sh('ls', ['/sys/class/net'])).toBe('lo');
  });

  it('keeps changes to /etc inside the lab', async () => {
    await lab.sh('mkdir', ['-p', '/etc/kvmnet-lab-probe']);
    expect((await lab.run('test', ['-d', '/etc/kvmnet-lab-probe'])).exitCode).toBe(0);
    await expect(readFile('/etc/kvmnet-lab-probe')).rejects.toThrow();
  });

  it('reads a host state that changes when a link is added', async () => {
    const before = await readHostState(lab);
    await lab.sh('ip', ['link', 'add', 'kvprobe0', 'type', 'bridge']);
    const after = await readHostState(lab);
    expect(after.links).not.toEqual(before.links);
    await lab.sh('ip', ['link', 'del', 'kvprobe0']);
    expect(await readHostState(lab)).toEqual(before);
  });
});
