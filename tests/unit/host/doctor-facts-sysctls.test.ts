import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSysctls } from '../../../main/host/doctor-facts/read-sysctls';

// trees shaped like /proc/sys: with br_netfilter loaded, and without (no net/bridge at all)
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kvmnet-sysctl-'));
  for (const [tree, withBridge] of [['loaded', true], ['plain', false]] as const) {
    await mkdir(join(root, tree, 'net/ipv4'), { recursive: true });
    await writeFile(join(root, tree, 'net/ipv4/ip_forward'), withBridge ? '1\n' : '0\n');
    if (withBridge) {
      await mkdir(join(root, tree, 'net/bridge'));
      await writeFile(join(root, tree, 'net/bridge/bridge-nf-call-iptables'), '1\n');
      await writeFile(join(root, tree, 'net/bridge/bridge-nf-call-ip6tables'), '0\n');
      await writeFile(join(root, tree, 'net/bridge/bridge-nf-call-arptables'), '1\n');
    }
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readSysctls', () => {
  it('reads each value without its newline', async () => {
    expect(await readSysctls(join(root, 'loaded'))).toEqual({ ipForward: '1', bridgeNfCallIptables: '1', bridgeNfCallIp6tables: '0', bridgeNfCallArptables: '1' });
  });

  it('says null for the bridge sysctls when br_netfilter is not loaded', async () => {
    expect(await readSysctls(join(root, 'plain'))).toEqual({ ipForward: '0', bridgeNfCallIptables: null, bridgeNfCallIp6tables: null, bridgeNfCallArptables: null });
  });

  it('reads the real /proc/sys of this process', async () => {
    expect((await readSysctls()).ipForward).toMatch(/^[01]$/);
  });
});
