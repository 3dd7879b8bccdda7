import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startLibvirtd } from '../../lab/libvirtd';
import type { HostState } from '../../lab/host-state';
import { parseLibvirtNetworkXml } from '../../../main/core/render/libvirt-network-xml';
import { HelperProcess } from './helper-process';
import { expectHostStateToBecome, settledHostState } from './host-checks';
import { daemonsOf, libvirtCreatePlan, libvirtSpec, survivors } from './network-fixtures';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper libvirt-op tests: ${skip}`);

/** a second KVMNet network, defined but not running */
const offSpec = { ...libvirtSpec, name: 'lvoff', bridge: 'kvlvoff', ipv4: { subnet: '10.83.0.0/24', gateway: '10.83.0.1' }, dhcp: { start: '10.83.0.10', end: '10.83.0.20' }, autostart: false };
const newSpec = { ...libvirtSpec, name: 'lvnew', kind: 'hostonly', bridge: 'kvlvnew', ipv4: { subnet: '10.84.0.0/24', gateway: '10.84.0.1' }, dhcp: null };
/** fails for real: the kernel refuses a second link named kvfail (EEXIST) */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' };

interface Case {
  name: string;
  steps: Record<string, unknown>[];
  effect(lab: Lab): Promise<void>;
  /** steps that bring the lab back to the shared starting point for the next case */
  back?: Record<string, unknown>[];
}

const virsh = (lab: Lab, ...args: string[]) => lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });
const info = async (lab: Lab, name: string) => {
  const r = await lab.run('virsh', ['-c', 'qemu:///system', 'net-info', name], { env: { LC_ALL: 'C' } });
  return r.exitCode === 0 ? Object.fromEntries(r.stdout.split('\n').map((l) => l.split(':').map((p) => p.trim()))) : undefined;
};

const cases: Case[] = [
  {
    name: 'libvirt.define of a new network: defined, tagged with KVMNet metadata, not started',
    steps: [{ op: 'libvirt.define', spec: newSpec }],
    async effect(lab) {
      expect(parseLibvirtNetworkXml(await virsh(lab, 'net-dumpxml', 'lvnew'))).toMatchObject({ managedByKvmnet: true, kind: 'hostonly', bridge: 'kvlvnew' });
      expect(await info(lab, 'lvnew')).toMatchObject({ Active: 'no', Persistent: 'yes', Autostart: 'no' });
    },
    back: [{ op: 'libvirt.undefine', network: 'lvnew' }],
  },
  {
    name: 'libvirt.define over a KVMNet network redefines it in place (same uuid)',
    steps: [{ op: 'libvirt.define', spec: { ...offSpec, dhcp: { start: '10.83.0.100', end: '10.83.0.200' } } }],
    async effect(lab) {
      const parsed = parseLibvirtNetworkXml(await virsh(lab, 'net-dumpxml', '--inactive', 'lvoff'));
      expect(parsed.dhcp).toEqual({ start: '10.83.0.100', end: '10.83.0.200' });
      expect(parsed.uuid).toBe(offUuid);
    },
    back: [{ op: 'libvirt.define', spec: offSpec }],
  },
  {
    name: 'libvirt.start',
    steps: [{ op: 'libvirt.start', network: 'lvoff' }],
    async effect(lab) {
      expect(await info(lab, 'lvoff')).toMatchObject({ Active: 'yes' });
      expect(await lab.sh('ip', ['-br', 'addr', 'show', 'dev', 'kvlvoff'])).toContain('10.83.0.1/24');
    },
    back: [{ op: 'libvirt.stop', network: 'lvoff' }],
  },
  {
    name: 'libvirt.stop (its inverse starts it again: bridge, libvirt\'s dnsmasq and rules come back)',
    steps: [{ op: 'libvirt.stop', network: 'lvnat' }],
    effect: async (lab) => expect(await info(lab, 'lvnat')).toMatchObject({ Active: 'no' }),
    back: [{ op: 'libvirt.start', network: 'lvnat' }],
  },
  {
    name: 'libvirt.autostart off',
    steps: [{ op: 'libvirt.autostart', network: 'lvnat', enabled: false }],
    effect: async (lab) => expect(await info(lab, 'lvnat')).toMatchObject({ Autostart: 'no' }),
    back: [{ op: 'libvirt.autostart', network: 'lvnat', enabled: true }],
  },
  {
    // last: a network defined again is a new one to libvirt (new uuid and MAC), so there is no way back but the rollback
    name: 'libvirt.undefine of a stopped network, and of a running one with autostart (it runs on, transient; the inverse makes it persistent with autostart again)',
    steps: [{ op: 'libvirt.undefine', network: 'lvoff' }, { op: 'libvirt.undefine', network: 'lvnat' }],
    async effect(lab) {
      expect(await info(lab, 'lvoff')).toBeUndefined();
      expect(await info(lab, 'lvnat')).toMatchObject({ Active: 'yes', Persistent: 'no' });
    },
  },
];

let offUuid: string | undefined;

describe.skipIf(skip)('each libvirt op against a real libvirtd, and its inverse', () => {
  let lab: Lab;
  let helper: HelperProcess;
  let start: HostState;

  beforeAll(async () => {
    lab = await startLab();
    await startLibvirtd(lab);
    // someone else's network, which must come through every rollback untouched
    await lab.sh('tee', ['/run/foreign.xml'], { input: "<network><name>foreign</name><bridge name='virbr7'/><ip address='10.89.0.1' netmask='255.255.255.0'/></network>" });
    await virsh(lab, 'net-define', '/run/foreign.xml');
    helper = HelperProcess.start(lab);
    expect((await helper.apply([
      { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' },
      ...libvirtCreatePlan(libvirtSpec),
      { op: 'libvirt.define', spec: offSpec },
    ])).response).toMatchObject({ ok: true });
    offUuid = parseLibvirtNetworkXml(await virsh(lab, 'net-dumpxml', 'lvoff')).uuid;
    start = await settledHostState(lab);
    expect(start.libvirtNetworks).toMatchObject([
      { name: 'foreign', active: false, persistent: true },
      { name: 'lvnat', active: true, autostart: true, persistent: true },
      { name: 'lvoff', active: false, autostart: false, persistent: true },
    ]);
    // libvirt's dnsmasq runs as two processes: the server and its root helper for the lease script
    expect(new Set(start.dnsmasq)).toEqual(new Set(['/usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/lvnat.conf --leasefile-ro --dhcp-script=/usr/lib/libvirt/libvirt_leaseshelper']));
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it.each(cases)('$name', async ({ steps, effect, back }) => {
    const failed = await helper.apply([...steps, FAIL]);
    expect(failed.response).toMatchObject({
      ok: false,
      error: { code: 'APPLY_FAILED', failure: { failedIndex: steps.length, failedOp: 'link.add', undone: steps.length, left: [] } },
    });
    await expectHostStateToBecome(lab, start);

    expect((await helper.apply(steps)).response).toMatchObject({ ok: true, result: { applied: steps.length } });
    await effect(lab);
    if (!back) return;
    expect((await helper.apply(back)).response).toMatchObject({ ok: true });
    await expectHostStateToBecome(lab, start);
  });

  // last: it ends the lab
  it('leaves no libvirtd or dnsmasq behind once its lab ends', async () => {
    const daemons = await daemonsOf(lab);
    expect(daemons.length).toBeGreaterThanOrEqual(2);
    await helper.close();
    await lab.close();
    expect(await survivors(daemons)).toEqual([]);
  });
});
