import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { startWatch, type WatchProcess } from './watch-process';

const skip = labUnavailableReason();
if (skip) console.log(`skipped live observer lab tests: ${skip}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('live host observer (kvmnet status --watch) in a lab', () => {
  let lab: Lab;
  let watch: WatchProcess;
  let built: NodeBundle;
  beforeAll(async () => {
    [built, lab] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startLab()]);
    await lab.sh('mkdir', ['-p', '/run/libvirt']);
    await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/libvirt']);
    watch = startWatch(lab, built.path);
    await watch.waitFor(() => true, 10_000, 'the first state');
  });
  afterAll(async () => {
    await lab?.close();
    await built?.remove();
  });

  it('prints a new snapshot soon after a link is added, and after an address is added', async () => {
    expect(watch.snapshots[0]?.snapshot.links.map((l) => l.name)).toEqual(['lo']);
    const added = Date.now();
    await lab.sh('ip', ['link', 'add', 'kvw0', 'type', 'bridge']);
    const seen = await watch.waitFor((s) => s.links.some((l) => l.name === 'kvw0' && l.kind === 'bridge'), 3000, 'kvw0');
    expect(seen.at - added).toBeLessThan(1500);

    await lab.sh('ip', ['addr', 'add', '10.55.0.1/24', 'dev', 'kvw0']);
    await watch.waitFor((s) => s.links.some((l) => l.name === 'kvw0' && l.addresses.some((a) => a.address === '10.55.0.1')), 3000, '10.55.0.1 on kvw0');

    const beforeDelete = watch.snapshots.length;
    await lab.sh('ip', ['link', 'del', 'kvw0']);
    await watch.waitFor((s) => !s.links.some((l) => l.name === 'kvw0'), 3000, 'kvw0 gone', beforeDelete);
  });

  it('coalesces a burst of changes into few snapshots', async () => {
    const before = watch.snapshots.length;
    await lab.sh('ip', ['-batch', '-'], { input: Array.from({ length: 20 }, (_, i) => `link add kvburst${i} type bridge`).join('\n') });
    await watch.waitFor((s) => s.links.filter((l) => l.name.startsWith('kvburst')).length === 20, 3000, 'all 20 bridges', before);
    await sleep(300);
    expect(watch.snapshots.length - before).toBeLessThanOrEqual(3);
  });

  it('stays silent while the host is idle: no polling', async () => {
    await sleep(300);
    const before = watch.snapshots.length;
    await sleep(3000);
    expect(watch.snapshots.length).toBe(before);
  });

  it('stops on Ctrl-C with exit 0 and leaves no ip monitor behind', async () => {
    expect(await watch.interrupt()).toBe(0);
    const ps = await lab.sh('ps', ['-eo', 'args']);
    expect(ps).not.toMatch(/ip monitor/);
    expect(ps).not.toMatch(/kvmnet/);
  });
});
