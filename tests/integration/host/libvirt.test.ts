import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostSnapshot } from '../../../main/core/host-snapshot';
import { KVMNET_XMLNS } from '../../../main/core/libvirt-metadata';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { LAB_LIBVIRT_URI, startLibvirtd } from '../../lab/libvirtd';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { startWatch } from './watch-process';

const skip = labUnavailableReason();
if (skip) console.log(`skipped libvirt observer lab tests: ${skip}`);

const NETWORKS = {
  kvtnat: `<network><name>kvtnat</name><forward mode='nat'/><bridge name='kvtbr0'/>
    <ip address='192.168.213.1' netmask='255.255.255.0'><dhcp><range start='192.168.213.10' end='192.168.213.99'/></dhcp></ip></network>`,
  kvtown: `<network><name>kvtown</name><metadata><kvmnet:network xmlns:kvmnet='${KVMNET_XMLNS}'/></metadata>
    <bridge name='kvtbr1'/><ip address='192.168.214.1' prefix='24'/></network>`,
  kvtlate: `<network><name>kvtlate</name><forward mode='route'/><bridge name='kvtbr2'/><ip address='192.168.215.1' prefix='24'/></network>`,
};

describe.skipIf(skip)('libvirt in the host snapshot', () => {
  let lab: Lab;
  let built: NodeBundle;
  let cli: string;
  let xmlDir: string;
  const virsh = (...args: string[]) => lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, ...args]);

  beforeAll(async () => {
    xmlDir = await mkdtemp(join(tmpdir(), 'kvmnet-libvirt-'));
    for (const [name, xml] of Object.entries(NETWORKS)) await writeFile(join(xmlDir, `${name}.xml`), xml);
    [built, lab] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startLab()]);
    cli = built.path;
    await startLibvirtd(lab);
    await virsh('net-define', join(xmlDir, 'kvtnat.xml'));
    await virsh('net-start', 'kvtnat');
    await virsh('net-define', join(xmlDir, 'kvtown.xml'));
  });
  afterAll(async () => {
    await lab?.close();
    await built?.remove();
    if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
  });

  it('status --json reports libvirt networks with their bridges, and which are KVMNet’s', async () => {
    const r = await lab.run(process.execPath, [cli, 'status', '--json']);
    expect(r.exitCode).toBe(0);
    const snapshot = HostSnapshot.parse(JSON.parse(r.stdout));
    expect(snapshot.libvirt.available).toBe(true);
    expect(snapshot.libvirt.reason).toBeUndefined();
    expect(snapshot.libvirt.networks.map((n) => n.name).sort()).toEqual(['kvtnat', 'kvtown']);
    expect(snapshot.libvirt.networks.find((n) => n.name === 'kvtnat')).toMatchObject({
      active: true, persistent: true, autostart: false, bridge: 'kvtbr0', forwardMode: 'nat', managedByKvmnet: false, uuid: expect.any(String),
    });
    expect(snapshot.libvirt.networks.find((n) => n.name === 'kvtown')).toMatchObject({
      active: false, bridge: 'kvtbr1', forwardMode: 'isolated', managedByKvmnet: true,
    });
    expect(snapshot.libvirt.domains).toEqual([]);
    // the running network's bridge is a link of the host, with the network's address
    const bridge = snapshot.links.find((l) => l.name === 'kvtbr0');
    expect(bridge?.kind).toBe('bridge');
    expect(bridge?.addresses.map((a) => a.address)).toContain('192.168.213.1');
  });

  it('the human view lists the networks', async () => {
    const r = await lab.run(process.execPath, [cli, 'status']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\s+kvtnat\s+active\s+no\s+nat\s+kvtbr0\s+no$/m);
    expect(r.stdout).toMatch(/^\s+kvtown\s+inactive\s+no\s+isolated\s+kvtbr1\s+yes$/m);
  });

  it('--watch sees a network defined in libvirt, which changes nothing netlink reports', async () => {
    const watch = startWatch(lab, cli);
    try {
      await watch.waitFor((s) => s.libvirt.available, 10_000, 'libvirt available');
      // the virsh event loops start after the first snapshot; give them a moment to connect
      await new Promise((r) => setTimeout(r, 300));
      const before = watch.snapshots.length;
      await virsh('net-define', join(xmlDir, 'kvtlate.xml'));
      const seen = await watch.waitFor((s) => s.libvirt.networks.some((n) => n.name === 'kvtlate'), 3000, 'kvtlate', before);
      expect(seen.snapshot.libvirt.networks.find((n) => n.name === 'kvtlate')).toMatchObject({ active: false, forwardMode: 'route' });
    } finally {
      expect(await watch.interrupt()).toBe(0);
    }
    const ps = await lab.sh('ps', ['-eo', 'args']);
    expect(ps).not.toMatch(/virsh .*event/);
  });
});
