import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTunOwner, readNeededSysfsFacts, readSysfsFacts } from '../../../main/host/sysfs-facts';

// a tree shaped like /sys/class/net, built from what the lab's sysfs showed
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kvmnet-sysfs-'));
  await mkdir(join(root, 'eth0', 'device'), { recursive: true });
  await mkdir(join(root, 'wlan0', 'device'), { recursive: true });
  await mkdir(join(root, 'wlan0', 'wireless'));
  await mkdir(join(root, 'wlan1', 'device'), { recursive: true });
  await writeFile(join(root, 'wlan1', 'phy80211'), '');
  await mkdir(join(root, 'kvtap0'));
  await writeFile(join(root, 'kvtap0', 'owner'), '1000\n');
  await mkdir(join(root, 'kvtap1'));
  await writeFile(join(root, 'kvtap1', 'owner'), '-1\n');
  await mkdir(join(root, 'kvbr0'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readSysfsFacts', () => {
  it('tells hardware, radios and tap owners apart', async () => {
    expect(await readSysfsFacts('eth0', root)).toEqual({ device: true, wireless: false });
    expect(await readSysfsFacts('wlan0', root)).toEqual({ device: true, wireless: true });
    expect(await readSysfsFacts('wlan1', root)).toEqual({ device: true, wireless: true });
    expect(await readSysfsFacts('kvtap0', root)).toEqual({ device: false, wireless: false, tunOwnerUid: 1000 });
    expect(await readSysfsFacts('kvtap1', root)).toEqual({ device: false, wireless: false });
    expect(await readSysfsFacts('kvbr0', root)).toEqual({ device: false, wireless: false });
  });

  it('answers "nothing known" for a link that vanished meanwhile', async () => {
    expect(await readSysfsFacts('gone0', root)).toEqual({ device: false, wireless: false });
  });

  it('reads many links at once, keyed by name, each only for what it needs', async () => {
    const facts = await readNeededSysfsFacts(new Map([
      ['eth0', { hardware: true, owner: false }],
      ['kvtap0', { hardware: false, owner: true }],
      ['kvbr0', { hardware: false, owner: false }],
    ]), root);
    expect([...facts.keys()]).toEqual(['eth0', 'kvtap0']);
    expect(facts.get('eth0')).toEqual({ device: true, wireless: false });
    expect(facts.get('kvtap0')).toEqual({ device: false, wireless: false, tunOwnerUid: 1000 });
  });

  it('skips the probes a link does not need', async () => {
    expect(await readSysfsFacts('eth0', root, { hardware: false, owner: true })).toEqual({ device: false, wireless: false });
    expect(await readSysfsFacts('kvtap0', root, { hardware: true, owner: false })).toEqual({ device: false, wireless: false });
  });
});

describe('parseTunOwner', () => {
  it('reads a uid and treats -1 and junk as no owner', () => {
    expect(parseTunOwner('0\n')).toBe(0);
    expect(parseTunOwner('-1\n')).toBeUndefined();
    expect(parseTunOwner('')).toBeUndefined();
    expect(parseTunOwner('x')).toBeUndefined();
  });
});
