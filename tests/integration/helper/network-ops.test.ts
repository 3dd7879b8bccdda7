import { describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { renderRestoreUnit } from '../../../main/core/render/systemd-unit';
import { HelperProcess } from './helper-process';
import { expectHostStateToBecome, hostState } from './host-checks';
import { addForeignFirewall, daemonsOf, directUpSteps, hostonlySpec, leaseFrom, natSpec, survivors } from './network-fixtures';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper network-op tests: ${skip}`);

/**
 * A host with another program's firewall table, a foreign "NIC", an owned bridge to collide with,
 * one running direct network (ho: bridge, rules, dnsmasq, record) and the boot unit enabled.
 */
const SETUP = [
  { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' },
  ...directUpSteps(hostonlySpec),
  { op: 'record.write', record: { version: 1, spec: hostonlySpec } },
  // the bridge of the "lab" network, without anything else of it yet
  { op: 'link.add', kind: 'bridge', name: natSpec.bridge, network: natSpec.name },
  { op: 'addr.add', dev: natSpec.bridge, address: '10.80.0.1/24' },
  { op: 'link.setState', name: natSpec.bridge, up: true },
];
/** fails for real: the kernel refuses a second link named kvfail (EEXIST) */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' };

interface Case {
  name: string;
  steps: Record<string, unknown>[];
  /** what must hold after the steps succeed */
  effect(lab: Lab): Promise<void>;
}

const kvmnetTable = async (lab: Lab) => lab.run('nft', ['list', 'table', 'inet', 'kvmnet']);
const foreignTable = async (lab: Lab) => lab.sh('nft', ['list', 'table', 'ip', 'filter']);
const FOREIGN_TABLE = 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 accept\n\t}\n}';

const cases: Case[] = [
  {
    name: 'nft.network adds a NAT network beside another: masquerade and forward rules, the foreign table untouched',
    steps: [{ op: 'nft.network', network: 'lab', spec: natSpec }],
    async effect(lab) {
      const table = (await kvmnetTable(lab)).stdout;
      expect(table).toContain('ip saddr 10.80.0.0/24 ip daddr != 10.80.0.0/24 oifname != "kvlab0" masquerade comment "kvmnet:lab"');
      expect(table).toContain('oifname "kvho0" drop comment "kvmnet:ho"');
      expect(await foreignTable(lab)).toBe(FOREIGN_TABLE);
      expect(JSON.parse(await lab.sh('cat', ['/run/kvmnet/nftables-networks.json'])).networks.map((n: { name: string }) => n.name)).toEqual(['ho', 'lab']);
    },
  },
  {
    name: 'nft.network null removes the last network: the table goes, the foreign table stays',
    steps: [{ op: 'nft.network', network: 'ho', spec: null }],
    async effect(lab) {
      expect((await kvmnetTable(lab)).exitCode).not.toBe(0);
      expect(await lab.sh('nft', ['list', 'ruleset'])).toBe(FOREIGN_TABLE);
      expect((await lab.run('test', ['-e', '/run/kvmnet/nftables-networks.json'])).exitCode).not.toBe(0);
    },
  },
  {
    name: 'nft.network replaces a network\'s rules with a changed spec',
    steps: [{ op: 'nft.network', network: 'ho', spec: { ...hostonlySpec, dhcp: null } }],
    async effect(lab) {
      const table = (await kvmnetTable(lab)).stdout;
      expect(table).not.toContain('udp dport 67');
      expect(table).toContain('iifname "kvho0" meta l4proto { tcp, udp } th dport 53 accept comment "kvmnet:ho"');
    },
  },
  {
    name: 'dnsmasq.start serves DHCP on the bridge (a guest namespace gets a lease)',
    steps: [{ op: 'dnsmasq.start', spec: natSpec }],
    async effect(lab) {
      expect(await lab.sh('cat', ['/run/kvmnet/dnsmasq/lab.conf'])).toContain('interface=kvlab0');
      const lease = await leaseFrom(lab, natSpec.bridge);
      expect(lease).toMatch(/^10\.80\.0\.(1[2-9][0-9]|2[0-5][0-9])$/);
      expect(await lab.sh('cat', ['/var/lib/kvmnet/dnsmasq/lab.leases'])).toContain(lease);
    },
  },
  {
    name: 'dnsmasq.stop ends the network\'s dnsmasq (its inverse starts it again from the saved spec)',
    steps: [{ op: 'dnsmasq.stop', network: 'ho' }],
    async effect(lab) {
      expect(await lab.sh('ls', ['-A', '/run/kvmnet/dnsmasq'])).toBe('');
      expect((await lab.sh('ps', ['-e', '-o', 'comm='])).split('\n')).not.toContain('dnsmasq');
    },
  },
  {
    name: 'dnsmasq.stop of a network without dnsmasq does nothing',
    steps: [{ op: 'dnsmasq.stop', network: 'lab' }],
    effect: async (lab) => expect((await lab.sh('ls', ['/run/kvmnet/dnsmasq'])).trim()).toBe('ho.conf\nho.hosts\nho.pid\nho.spec.json'),
  },
  {
    name: 'record.write of a new record, world-readable in a world-readable directory',
    steps: [{ op: 'record.write', record: { version: 1, spec: natSpec, ipForwardBefore: '0' } }],
    async effect(lab) {
      expect(JSON.parse(await lab.sh('cat', ['/etc/kvmnet/networks/lab.json']))).toEqual({ version: 1, spec: natSpec, ipForwardBefore: '0' });
      expect((await lab.sh('stat', ['-c', '%a', '/etc/kvmnet', '/etc/kvmnet/networks', '/etc/kvmnet/networks/lab.json'])).split('\n').filter(Boolean)).toEqual(['755', '755', '644']);
    },
  },
  {
    name: 'record.write over an existing record',
    steps: [{ op: 'record.write', record: { version: 1, spec: { ...hostonlySpec, autostart: true } } }],
    effect: async (lab) => expect(JSON.parse(await lab.sh('cat', ['/etc/kvmnet/networks/ho.json'])).spec.autostart).toBe(true),
  },
  {
    name: 'record.delete',
    steps: [{ op: 'record.delete', network: 'ho' }],
    effect: async (lab) => expect((await lab.run('test', ['-e', '/etc/kvmnet/networks/ho.json'])).exitCode).not.toBe(0),
  },
  {
    name: 'boot.unit disabled removes the unit and its enablement link',
    steps: [{ op: 'boot.unit', enabled: false }],
    effect: async (lab) => expect(await lab.sh('ls', ['/etc/systemd/system'])).not.toContain('kvmnet'),
  },
  {
    name: 'boot.unit enabled again is idempotent',
    steps: [{ op: 'boot.unit', enabled: true }, { op: 'boot.unit', enabled: true }],
    async effect(lab) {
      expect(`${await lab.sh('cat', ['/etc/systemd/system/kvmnet-restore.service'])}\n`).toBe(renderRestoreUnit());
      expect((await lab.sh('readlink', ['/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service'])).trim()).toBe('/etc/systemd/system/kvmnet-restore.service');
    },
  },
];

async function withHelperLab(run: (lab: Lab, helper: HelperProcess) => Promise<void>): Promise<void> {
  const lab = await startLab();
  const helper = HelperProcess.start(lab);
  let daemons: number[] = [];
  try {
    await addForeignFirewall(lab);
    await run(lab, helper);
    daemons = await daemonsOf(lab);
  } finally {
    await helper.close();
    await lab.close();
  }
  // the daemons belonged to the lab's PID namespace: ending the lab ends them
  const left = await survivors(daemons);
  if (left.length > 0) throw new Error(`dnsmasq ${left.join(', ')} outlived its lab`);
}

describe.skipIf(skip)('each network-level op on the real host tools, and its inverse', () => {
  it.concurrent.each(cases)('$name', async ({ steps, effect }) => withHelperLab(async (lab, helper) => {
    expect((await helper.apply([...SETUP, { op: 'boot.unit', enabled: true }])).response).toMatchObject({ ok: true });
    const before = await hostState(lab);
    expect(before.dnsmasq).toEqual(['/usr/sbin/dnsmasq --conf-file=/run/kvmnet/dnsmasq/ho.conf']);

    const failed = await helper.apply([...steps, FAIL]);
    expect(failed.response).toMatchObject({
      ok: false,
      error: { code: 'APPLY_FAILED', failure: { failedIndex: steps.length, failedOp: 'link.add', undone: steps.length, left: [] } },
    });
    await expectHostStateToBecome(lab, before);

    const applied = await helper.apply(steps);
    expect(applied.response).toEqual({ id: expect.any(String), ok: true, result: { applied: steps.length } });
    await effect(lab);
  }));
});

describe.skipIf(skip)('KVMNet\'s nftables table when the kernel and the network file disagree', () => {
  it('a table the file does not know of is replaced whole by the first network, never merged into', () => withHelperLab(async (lab, helper) => {
    // what a crash between removing the file and deleting the table leaves: a table, no file
    await lab.run('nft', ['-f', '-'], { input: 'table inet kvmnet {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 9 drop\n\t}\n}\n' });
    expect((await lab.run('test', ['-e', '/run/kvmnet/nftables-networks.json'])).exitCode).not.toBe(0);

    const applied = await helper.apply([{ op: 'link.add', kind: 'bridge', name: natSpec.bridge, network: natSpec.name }, { op: 'nft.network', network: natSpec.name, spec: natSpec }]);
    expect(applied.response).toMatchObject({ ok: true });
    const table = (await kvmnetTable(lab)).stdout;
    expect(table).not.toContain('dport 9');
    expect(table).toContain('masquerade comment "kvmnet:lab"');
  }));
});
