import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import { renderLibvirtNetworkXml } from '../../../main/core/render/libvirt-network-xml';
import { ensureHostUndo } from '../../../main/helper/ensure-host';
import { HostUndo, describeHostUndo } from '../../../main/helper/host-undo';
import { Undo, describeUndo } from '../../../main/helper/undo';
import { FakeHostIo } from './fake-host-io';

const spec: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: null, autostart: true,
};
const kvmnetXml = renderLibvirtNetworkXml({ ...spec, name: 'lv', backend: 'libvirt' });
const nicXml = (inside: string) => `<interface type='network'><mac address='52:54:00:00:00:09'/><source network='lv'/>${inside}</interface>`;
const nicUndo = { ensure: 'libvirt.nicPresent', domain: 'vm', source: { type: 'network', network: 'lv' }, mac: '52:54:00:00:00:09', config: nicXml(''), live: null };

describe('the host-level undo schema (what recovery trusts from disk)', () => {
  it.each([
    { ensure: 'file', path: '/etc/passwd', content: null },
    { ensure: 'file', path: '/etc/kvmnet/networks/../../etc/passwd.json', content: 'x' },
    { ensure: 'file', path: '/etc/kvmnet/networks/lab.json.bak', content: 'x' },
    { ensure: 'file', path: '/etc/systemd/system/sshd.service', content: null },
    { ensure: 'symlink', path: '/etc/systemd/system/multi-user.target.wants/sshd.service', target: null },
    { ensure: 'symlink', path: '/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service', target: '/tmp/evil.service' },
    { ensure: 'libvirt.defined', network: 'default', xml: "<network><name>default</name><forward mode='bridge'/></network>" },
    { ensure: 'libvirt.defined', network: 'other', xml: kvmnetXml },
    { ensure: 'libvirt.defined', network: 'lv', xml: 'not xml <' },
    { ensure: 'dnsmasq.running', spec: { ...spec, bridge: 'kv br0' } },
    { ensure: 'nft.network', network: '../x', spec: null },
    { ensure: 'dnsmasq.stopped', network: 'lab', pid: 1 },
    // a NIC put back from a journal: only the NIC the undo names, and nothing that reaches outside it
    { ...nicUndo, config: nicXml("<script path='/tmp/evil'/>") },
    { ...nicUndo, live: nicXml("<backend tap='/dev/net/tun'/>") },
    { ...nicUndo, config: nicXml('').replace('52:54:00:00:00:09', '52:54:00:00:00:0a') },
    { ...nicUndo, config: nicXml('').replace("network='lv'", "network='default'") },
  ])('refuses %j', (undo) => expect(Undo.safeParse(undo).success).toBe(false));

  it('takes back a NIC\'s own XML with its address and boot order', () => {
    expect(Undo.safeParse({ ...nicUndo, config: nicXml("<boot order='2'/><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>") }).success).toBe(true);
  });

  it.each([
    { ensure: 'file', path: '/etc/kvmnet/networks/lab.json', content: '{}\n' },
    { ensure: 'file', path: '/var/lib/kvmnet/dnsmasq/lab.leases', content: null },
    { ensure: 'file', path: '/etc/systemd/system/kvmnet-restore.service', content: null },
    { ensure: 'symlink', path: '/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service', target: '/usr/lib/systemd/system/kvmnet-restore.service' },
    { ensure: 'libvirt.defined', network: 'lv', xml: kvmnetXml },
    { ensure: 'nft.network', network: 'lab', spec },
  ])('accepts %j', (undo) => expect(HostUndo.parse(undo)).toEqual(undo));

  it('describes each action in plain words', () => {
    expect(describeUndo({ ensure: 'dnsmasq.running', spec })).toBe('start the dnsmasq of network lab again');
    expect(describeHostUndo({ ensure: 'file', path: '/etc/kvmnet/networks/lab.json', content: null })).toBe('remove /etc/kvmnet/networks/lab.json');
    expect(describeHostUndo({ ensure: 'libvirt.active', network: 'lv', active: false })).toBe('stop libvirt network lv');
  });
});

describe('ensureHostUndo: only what does not already hold', () => {
  it('leaves the firewall alone when the network\'s entry is already as wanted, and rewrites file and table when not', async () => {
    const io = new FakeHostIo();
    await ensureHostUndo({ ensure: 'nft.network', network: 'lab', spec: null }, io);
    expect(io.calls).toEqual([]);
    io.files.set('/run/kvmnet/nftables-networks.json', JSON.stringify({ version: 1, networks: [spec] }));
    await ensureHostUndo({ ensure: 'nft.network', network: 'lab', spec }, io);
    expect(io.calls).toEqual([]);
    await ensureHostUndo({ ensure: 'nft.network', network: 'lab', spec: null }, io);
    expect(io.calls).toEqual([{ tool: 'nft', args: ['-f', '-'], input: 'table inet kvmnet {}\ndelete table inet kvmnet\n' }]);
    expect(io.files.has('/run/kvmnet/nftables-networks.json')).toBe(false);
  });

  it('restores a file\'s content or absence, and a symlink\'s target or absence', async () => {
    const io = new FakeHostIo();
    const path = '/etc/kvmnet/networks/lab.json';
    await ensureHostUndo({ ensure: 'file', path, content: 'old\n' }, io);
    expect(io.files.get(path)).toBe('old\n');
    await ensureHostUndo({ ensure: 'file', path, content: null }, io);
    expect(io.files.has(path)).toBe(false);
    const wants = '/etc/systemd/system/multi-user.target.wants/kvmnet-restore.service';
    await ensureHostUndo({ ensure: 'symlink', path: wants, target: '/etc/systemd/system/kvmnet-restore.service' }, io);
    expect(io.symlinks.get(wants)).toBe('/etc/systemd/system/kvmnet-restore.service');
    await ensureHostUndo({ ensure: 'symlink', path: wants, target: null }, io);
    expect(io.symlinks.has(wants)).toBe(false);
    io.files.set(wants, 'a file someone put there');
    expect(await ensureHostUndo({ ensure: 'symlink', path: wants, target: null }, io)).toMatch(/left alone/);
  });

  it('never undefines or stops a libvirt network someone else has redefined meanwhile', async () => {
    const foreign = "<network><name>lv</name><bridge name='virbr0'/></network>";
    const io = new FakeHostIo(({ args }) => (args[2] === 'net-info'
      ? { stdout: 'Name:           lv\nActive:         yes\nPersistent:     yes\nAutostart:      no\n' }
      : { stdout: foreign }));
    expect(await ensureHostUndo({ ensure: 'libvirt.undefined', network: 'lv' }, io)).toMatch(/redefined by someone else/);
    expect(await ensureHostUndo({ ensure: 'libvirt.active', network: 'lv', active: false }, io)).toMatch(/redefined by someone else/);
    expect(io.calls.map((c) => c.args[2])).not.toContain('net-undefine');
    expect(io.calls.map((c) => c.args[2])).not.toContain('net-destroy');
  });

  it('tells a missing libvirt network from an unreachable libvirtd', async () => {
    const missing = new FakeHostIo(() => ({ exitCode: 1, stderr: "error: failed to get network 'lv'\nerror: Network not found: no network with matching name 'lv'\n" }));
    expect(await ensureHostUndo({ ensure: 'libvirt.undefined', network: 'lv' }, missing)).toBeUndefined();
    const down = new FakeHostIo(() => ({ exitCode: 1, stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n" }));
    await expect(ensureHostUndo({ ensure: 'libvirt.undefined', network: 'lv' }, down)).rejects.toThrow(/could not read libvirt network lv: failed to connect to the hypervisor/);
  });
});
