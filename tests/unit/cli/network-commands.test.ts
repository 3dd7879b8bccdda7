import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { FakeEngine, runWith } from './fake-engine';
import { specs } from '../core/plan/plan-fixture';
import { link } from '../core/network/host-fixture';

describe('kvmnet delete, start, stop', () => {
  it.each(['delete', 'start', 'stop'])('%s of an unknown network exits 2 naming the networks there are', async (command) => {
    const engine = new FakeEngine();
    const r = await runWith(engine, command, 'nope');
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('kvmnet: name: "nope" is not a KVMNet network on this host; the KVMNet networks are lab (kvmnet list shows them)');
    expect(engine.plans).toEqual([]);
  });

  it.each(['delete', 'start', 'stop'])('%s of a libvirt network KVMNet did not create exits 2: it is read-only', async (command) => {
    const engine = new FakeEngine();
    const r = await runWith(engine, command, 'default');
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('"default" is a libvirt network KVMNet did not create');
    expect(engine.plans).toEqual([]);
  });

  it('refuses a name that cannot be a network name, shell metacharacters and all', async () => {
    const engine = new FakeEngine();
    const r = await runWith(engine, 'delete', 'a;reboot');
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toMatch(/^kvmnet: name: "a;reboot": network name may use only/m);
  });

  it('delete --dry-run prints the commands; delete runs the same plan', async () => {
    const engine = new FakeEngine();
    const dry = await runWith(engine, 'delete', 'lab', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('virsh -c qemu:///system net-destroy lab');
    expect(dry.stdout).toContain('virsh -c qemu:///system net-undefine lab');
    expect(engine.plans).toEqual([]);
    const real = await runWith(engine, 'delete', 'lab');
    expect(real.code).toBe(0);
    expect(real.stdout).toBe('deleted network lab\n');
    expect(engine.plans[0]!.steps).toEqual([
      { op: 'libvirt.stop', network: 'lab' },
      { op: 'libvirt.autostart', network: 'lab', enabled: false },
      { op: 'libvirt.undefine', network: 'lab' },
    ]);
  });

  it('start of a running network and stop of a stopped one do nothing and succeed', async () => {
    const engine = new FakeEngine();
    const started = await runWith(engine, 'start', 'lab');
    expect([started.code, started.stdout]).toEqual([0, 'network lab is already running\n']);
    engine.records = [{ version: 1, spec: specs.hostonly }];
    const stopped = await runWith(engine, 'stop', 'ho');
    expect([stopped.code, stopped.stdout]).toEqual([0, 'network ho is not running\n']);
    expect(engine.plans).toEqual([]);
  });

  it('stop of a running direct network tears it down', async () => {
    const engine = new FakeEngine();
    engine.records = [{ version: 1, spec: specs.hostonly }];
    engine.snapshot = { ...engine.snapshot, links: [...engine.snapshot.links, link('kv-ho', 'bridge', [['10.80.2.1', 24]], { owner: 'ho', alias: 'kvmnet:ho' })] };
    const r = await runWith(engine, 'stop', 'ho');
    expect(r.code).toBe(0);
    expect(engine.plans[0]!.steps.map((s) => s.op)).toEqual(['dnsmasq.stop', 'nft.network', 'link.delete']);
  });
});

describe('kvmnet list', () => {
  it('--json lists KVMNet networks and libvirt ones, the foreign ones read-only', async () => {
    const engine = new FakeEngine();
    engine.records = [{ version: 1, spec: specs.isolated }];
    const r = await runWith(engine, 'list', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.map((n) => [n.name, n.backend, n.managed, n.readOnly])).toEqual([
      ['default', 'libvirt', false, true],
      ['iso', 'direct', true, false],
      ['lab', 'libvirt', true, false],
    ]);
    expect(list[0]).toEqual({
      name: 'default', kind: 'nat', backend: 'libvirt', bridge: 'virbr0', subnet: '192.168.122.0/24', gateway: '192.168.122.1',
      dhcp: { start: '192.168.122.2', end: '192.168.122.254' }, ipv6: null, active: true, autostart: true, uplink: null,
      managed: false, readOnly: true, forwardMode: 'nat',
    });
    expect(list[1]).toMatchObject({ kind: 'isolated', bridge: 'kv-iso', subnet: null, gateway: null, dhcp: null, active: false, autostart: true });
  });

  it('prints a table for people', async () => {
    const r = await runWith(new FakeEngine(), 'list');
    expect(r.stdout).toMatch(/^NAME +KIND +BACKEND +BRIDGE +SUBNET +GATEWAY +DHCP +STATE +AUTOSTART +UPLINK +KVMNET$/m);
    expect(r.stdout).toMatch(/^default +nat +libvirt +virbr0 +192\.168\.122\.0\/24 .* no \(read-only\)$/m);
  });
});
