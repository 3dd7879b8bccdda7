import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { nftNetwork } from '../../../../main/helper/ops/nft-network';
import { dnsmasqStart } from '../../../../main/helper/ops/dnsmasq-start';
import { dnsmasqStop } from '../../../../main/helper/ops/dnsmasq-stop';
import { libvirtDefine } from '../../../../main/helper/ops/libvirt-define';
import { libvirtUndefine } from '../../../../main/helper/ops/libvirt-undefine';
import { libvirtStop } from '../../../../main/helper/ops/libvirt-stop';
import { libvirtAutostart } from '../../../../main/helper/ops/libvirt-autostart';
import { recordWrite } from '../../../../main/helper/ops/record-write';
import { bootUnit } from '../../../../main/helper/ops/boot-unit';
import type { LibvirtState } from '../../../../main/helper/plan-state';
import { FakeHostIo } from '../fake-host-io';
import { fact, host, planState } from '../link-fixtures';

const spec: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
};
const links = host(fact('kvbr0'), fact('kvother', { alias: 'kvmnet:other' }), fact('eth0', { alias: undefined, kind: 'other' }));
const kvmnetNet: LibvirtState = { name: 'lv', managedByKvmnet: true, active: true, persistent: true, autostart: true };
const foreignNet: LibvirtState = { name: 'default', managedByKvmnet: false, active: true, persistent: true, autostart: true };
const state = planState(links, { libvirt: new Map([['lv', kvmnetNet], ['default', foreignNet], ['transient', { ...kvmnetNet, name: 'transient', persistent: false }]]) });

describe('nft.network', () => {
  it('attaches rules only to the network\'s own KVMNet bridge', () => {
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec }, state)).toBeUndefined();
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec: { ...spec, bridge: 'eth0' } }, state)).toMatchObject({ code: 'NOT_OWNED', field: 'spec.bridge' });
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec: { ...spec, bridge: 'kvother' } }, state)).toMatchObject({ code: 'NOT_OWNED', message: expect.stringContaining('belongs to the KVMNet network other') });
    expect(nftNetwork.check({ op: 'nft.network', network: 'other', spec }, state)).toMatchObject({ code: 'INVALID_REQUEST', field: 'spec.name' });
    // a libvirt network is in KVMNet's table only for its forwards, and only when it is KVMNet's own
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec: { ...spec, backend: 'libvirt' } }, state)).toMatchObject({ code: 'NOT_ALLOWED', field: 'spec.forwards' });
    const forwards = [{ proto: 'tcp' as const, hostPort: { start: 8080, end: 8080 }, to: { ip: spec.ipv4!.gateway.replace(/\.1$/, '.5'), port: { start: 80, end: 80 } } }];
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec: { ...spec, backend: 'libvirt', forwards } }, state)).toMatchObject({ code: 'NOT_OWNED', field: 'spec.name' });
    // KVMNet's libvirt network: the forwards must lead into the subnet libvirt serves on that bridge
    const libvirtSpec = { ...spec, backend: 'libvirt' as const, forwards };
    const ours = planState(links, { libvirt: new Map([['lab', { name: 'lab', managedByKvmnet: true, persistent: true, active: true, autostart: false, bridge: spec.bridge, subnet: spec.ipv4!.subnet }]]) });
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec: libvirtSpec }, ours)).toBeUndefined();
    const wider = { ...libvirtSpec, ipv4: { subnet: '0.0.0.0/0', gateway: spec.ipv4!.gateway }, dhcp: null };
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec: wider }, ours)).toMatchObject({ code: 'NOT_ALLOWED', field: 'spec.ipv4' });
    expect(nftNetwork.check({ op: 'nft.network', network: 'gone', spec: null }, state)).toBeUndefined();
  });

  it('refuses a bridge another network of the table already uses', () => {
    const taken = planState(links, { nft: new Map([['other', { ...spec, name: 'other', bridge: 'kvbr0' }]]) });
    expect(nftNetwork.check({ op: 'nft.network', network: 'lab', spec }, taken)).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('both use the bridge kvbr0') });
  });

  it('is undone by the network\'s previous entry, or none', async () => {
    const io = new FakeHostIo();
    expect(await nftNetwork.inverse({ op: 'nft.network', network: 'lab', spec }, io)).toEqual([{ ensure: 'nft.network', network: 'lab', spec: null }]);
    io.files.set('/run/kvmnet/nftables-networks.json', JSON.stringify({ version: 1, networks: [spec] }));
    expect(await nftNetwork.inverse({ op: 'nft.network', network: 'lab', spec: null }, io)).toEqual([{ ensure: 'nft.network', network: 'lab', spec }]);
  });

  it('loads the whole table with one nft -f -, and keeps the network set as it was when nft refuses', async () => {
    const io = new FakeHostIo(({ tool }) => (tool === 'nft' ? { exitCode: 1, stderr: '/dev/stdin:1:1-21: Error: Could not process rule: Operation not permitted\n' } : {}));
    await expect(nftNetwork.run({ op: 'nft.network', network: 'lab', spec }, io)).rejects.toThrow(/nft refused KVMNet's table: .*Operation not permitted/);
    // the first network tries `create table` (no table to delete); refused, the full replace follows and its refusal is reported
    expect(io.calls).toEqual([
      { tool: 'nft', args: ['-f', '-'], input: expect.stringMatching(/^create table inet kvmnet\ntable inet kvmnet \{/) },
      { tool: 'nft', args: ['-f', '-'], input: expect.stringMatching(/^table inet kvmnet \{\}\ndelete table inet kvmnet\ntable inet kvmnet \{/) },
    ]);
    expect(io.files.has('/run/kvmnet/nftables-networks.json')).toBe(false);
  });

  it('creates the first network\'s table with one nft -f - when no table is there, and replaces it whole for the next', async () => {
    const io = new FakeHostIo();
    await nftNetwork.run({ op: 'nft.network', network: 'lab', spec }, io);
    expect(io.calls).toEqual([{ tool: 'nft', args: ['-f', '-'], input: expect.stringMatching(/^create table inet kvmnet\ntable inet kvmnet \{/) }]);
    await nftNetwork.run({ op: 'nft.network', network: 'other', spec: { ...spec, name: 'other', bridge: 'kvother0' } }, io);
    expect(io.calls[1]).toEqual({ tool: 'nft', args: ['-f', '-'], input: expect.stringMatching(/^table inet kvmnet \{\}\ndelete table inet kvmnet\ntable inet kvmnet \{/) });
  });

  it('refuses to rebuild the table from a damaged network set', async () => {
    const io = new FakeHostIo();
    io.files.set('/run/kvmnet/nftables-networks.json', '{"version":1,"networks":[{"name":"x"}]}');
    await expect(nftNetwork.run({ op: 'nft.network', network: 'lab', spec }, io)).rejects.toThrow(/is damaged/);
    expect(io.calls).toEqual([]);
  });
});

describe('dnsmasq.start and dnsmasq.stop', () => {
  it('starts only on the network\'s own KVMNet bridge, for a direct network with an address, once', () => {
    expect(dnsmasqStart.check({ op: 'dnsmasq.start', spec }, state)).toBeUndefined();
    expect(dnsmasqStart.check({ op: 'dnsmasq.start', spec: { ...spec, bridge: 'eth0' } }, state)).toMatchObject({ code: 'NOT_OWNED', field: 'spec.bridge' });
    expect(dnsmasqStart.check({ op: 'dnsmasq.start', spec: { ...spec, bridge: 'kvnone' } }, state)).toMatchObject({ code: 'NOT_OWNED', message: expect.stringContaining('does not exist') });
    expect(dnsmasqStart.check({ op: 'dnsmasq.start', spec }, planState(links, { dnsmasq: new Set(['lab']) }))).toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('already running') });
    const running = dnsmasqStart.simulate({ op: 'dnsmasq.start', spec }, state);
    expect(dnsmasqStart.check({ op: 'dnsmasq.start', spec }, running)).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(dnsmasqStart.check({ op: 'dnsmasq.start', spec }, dnsmasqStop.simulate({ op: 'dnsmasq.stop', network: 'lab' }, running))).toBeUndefined();
  });

  it('is undone by stopping it and removing a lease file it created', async () => {
    const io = new FakeHostIo();
    expect(await dnsmasqStart.inverse({ op: 'dnsmasq.start', spec }, io)).toEqual([
      { ensure: 'dnsmasq.stopped', network: 'lab' },
      { ensure: 'file', path: '/var/lib/kvmnet/dnsmasq/lab.leases', content: null },
    ]);
    io.files.set('/var/lib/kvmnet/dnsmasq/lab.leases', '1700000000 52:54:00:00:00:01 10.80.0.130 guest *\n');
    expect(await dnsmasqStart.inverse({ op: 'dnsmasq.start', spec }, io)).toEqual([{ ensure: 'dnsmasq.stopped', network: 'lab' }]);
  });

  it('puts dnsmasq\'s own complaint in the failure', async () => {
    const io = new FakeHostIo(({ tool }) => (tool === 'dnsmasq' ? { exitCode: 2, stderr: '\ndnsmasq: failed to bind DHCP server socket: Address already in use\n' } : {}));
    await expect(dnsmasqStart.run({ op: 'dnsmasq.start', spec }, io)).rejects.toThrow('dnsmasq could not start on kvbr0: dnsmasq: failed to bind DHCP server socket: Address already in use');
    expect(io.calls).toEqual([{ tool: 'dnsmasq', args: ['--conf-file=/run/kvmnet/dnsmasq/lab.conf'] }]);
    expect(io.directories).toContain('/var/lib/kvmnet/dnsmasq');
  });

  it('stops only a dnsmasq started with the network\'s configuration: a stale pid now naming another process is left alone', async () => {
    const io = new FakeHostIo();
    io.files.set('/run/kvmnet/dnsmasq/lab.pid', '4242\n');
    io.files.set('/run/kvmnet/dnsmasq/lab.conf', 'x');
    io.processes.set(4242, ['/usr/bin/sshd', '-D']);
    expect(await dnsmasqStop.run({ op: 'dnsmasq.stop', network: 'lab' }, io)).toBe('no dnsmasq was running');
    io.processes.set(4242, ['/usr/sbin/dnsmasq', '--conf-file=/run/kvmnet/dnsmasq/other.conf']);
    expect(await dnsmasqStop.run({ op: 'dnsmasq.stop', network: 'lab' }, io)).toBe('no dnsmasq was running');
    expect(io.signals).toEqual([]);
    expect(io.files.has('/run/kvmnet/dnsmasq/lab.conf')).toBe(false);
  });

  it('stops its own dnsmasq with SIGTERM; the inverse restarts it from the saved spec, and refuses without one', async () => {
    const io = new FakeHostIo();
    io.files.set('/run/kvmnet/dnsmasq/lab.pid', '4242\n');
    io.processes.set(4242, ['/usr/sbin/dnsmasq', '--conf-file=/run/kvmnet/dnsmasq/lab.conf']);
    await expect(dnsmasqStop.inverse({ op: 'dnsmasq.stop', network: 'lab' }, io)).rejects.toThrow(/could not be undone/);
    io.files.set('/run/kvmnet/dnsmasq/lab.spec.json', JSON.stringify(spec));
    expect(await dnsmasqStop.inverse({ op: 'dnsmasq.stop', network: 'lab' }, io)).toEqual([{ ensure: 'dnsmasq.running', spec }]);
    expect(await dnsmasqStop.run({ op: 'dnsmasq.stop', network: 'lab' }, io)).toBe('dnsmasq 4242 stopped');
    expect(io.signals).toEqual([{ pid: 4242, signal: 'SIGTERM' }]);
  });
});

describe('libvirt steps', () => {
  it('change only networks carrying KVMNet\'s metadata', () => {
    expect(libvirtUndefine.check({ op: 'libvirt.undefine', network: 'default' }, state)).toMatchObject({ code: 'NOT_OWNED', field: 'network', message: expect.stringContaining('no KVMNet metadata') });
    expect(libvirtUndefine.check({ op: 'libvirt.undefine', network: 'lv' }, state)).toBeUndefined();
    expect(libvirtUndefine.check({ op: 'libvirt.undefine', network: 'ghost' }, state)).toMatchObject({ code: 'NOT_OWNED', message: expect.stringContaining('no earlier step') });
    expect(libvirtDefine.check({ op: 'libvirt.define', spec: { ...spec, name: 'default', backend: 'libvirt' } }, state)).toMatchObject({ code: 'NOT_OWNED', field: 'spec.name' });
    expect(libvirtDefine.check({ op: 'libvirt.define', spec }, state)).toMatchObject({ code: 'NOT_ALLOWED', field: 'spec.backend' });
  });

  it('refuse what could not be undone or cannot be done to a transient network', () => {
    expect(libvirtStop.check({ op: 'libvirt.stop', network: 'transient' }, state)).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(libvirtAutostart.check({ op: 'libvirt.autostart', network: 'transient', enabled: true }, state)).toMatchObject({ code: 'NOT_ALLOWED' });
  });

  it('follow a network through the plan: defined by an earlier step, then started; undefined while running, it is transient', () => {
    const defined = libvirtDefine.simulate({ op: 'libvirt.define', spec: { ...spec, name: 'fresh', backend: 'libvirt' } }, state);
    expect(defined.libvirt.get('fresh')).toEqual({
      name: 'fresh', managedByKvmnet: true, persistent: true, active: false, autostart: false, bridge: spec.bridge, subnet: spec.ipv4!.subnet,
    });
    expect(libvirtUndefine.simulate({ op: 'libvirt.undefine', network: 'lv' }, state).libvirt.get('lv')).toMatchObject({ active: true, persistent: false });
    expect(libvirtUndefine.simulate({ op: 'libvirt.undefine', network: 'fresh' }, defined).libvirt.has('fresh')).toBe(false);
  });
});

describe('record.write and boot.unit', () => {
  it('record.write is undone by the previous content, or absence', async () => {
    const io = new FakeHostIo();
    const step = { op: 'record.write', record: { version: 1, spec } } as const;
    expect(await recordWrite.inverse(step, io)).toEqual([{ ensure: 'file', path: '/etc/kvmnet/networks/lab.json', content: null }]);
    await recordWrite.run(step, io);
    expect(JSON.parse(io.files.get('/etc/kvmnet/networks/lab.json')!)).toEqual({ version: 1, spec });
    expect(await recordWrite.inverse(step, io)).toEqual([{ ensure: 'file', path: '/etc/kvmnet/networks/lab.json', content: io.files.get('/etc/kvmnet/networks/lab.json') }]);
  });

  it('boot.unit writes the unit and the enablement link, and is undone by their previous state', async () => {
    const io = new FakeHostIo();
    expect(await bootUnit.inverse({ op: 'boot.unit', enabled: true }, io)).toEqual([
      { ensure: 'file', path: '/etc/systemd/system/kvmnet-restore.service', content: null },
      { ensure: 'symlink', path: '/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service', target: null },
    ]);
    await bootUnit.run({ op: 'boot.unit', enabled: true }, io);
    expect(io.symlinks.get('/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service')).toBe('/etc/systemd/system/kvmnet-restore.service');
    await bootUnit.run({ op: 'boot.unit', enabled: false }, io);
    expect([...io.files.keys(), ...io.symlinks.keys()]).toEqual([]);
  });

  it('boot.unit leaves alone an enablement path that is not a symlink', async () => {
    const io = new FakeHostIo();
    io.files.set('/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service', '[Unit]\n');
    await expect(bootUnit.inverse({ op: 'boot.unit', enabled: false }, io)).rejects.toThrow(/not a symlink/);
    await expect(bootUnit.run({ op: 'boot.unit', enabled: false }, io)).rejects.toThrow(/not a symlink/);
  });
});
