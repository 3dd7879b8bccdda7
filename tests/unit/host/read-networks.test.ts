import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNetworks, readNetworkRecords } from '../../../main/host/read-networks';
import { laptopSnapshot, labSpec, link } from '../core/network/host-fixture';
import { specs } from '../core/plan/plan-fixture';

describe('readNetworkRecords', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kvmnet-records-'));
    await writeFile(join(dir, 'ho.json'), JSON.stringify({ version: 1, spec: specs.hostonly }));
    await writeFile(join(dir, 'lab.json'), JSON.stringify({ version: 1, spec: specs.nat, ipForwardBefore: '0' }));
    await writeFile(join(dir, 'renamed.json'), JSON.stringify({ version: 1, spec: specs.isolated }));
    await writeFile(join(dir, 'broken.json'), '{"version": 1, "spec": ');
    await writeFile(join(dir, 'future.json'), JSON.stringify({ version: 2, spec: specs.nat }));
    await writeFile(join(dir, 'notes.txt'), 'not a record');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every valid record and says, per file, why the others are ignored', async () => {
    const { records, problems } = await readNetworkRecords(dir);
    expect(records).toEqual([{ version: 1, spec: specs.hostonly }, { version: 1, spec: specs.nat, ipForwardBefore: '0' }]);
    expect(problems).toEqual([
      expect.stringMatching(/^.*broken\.json could not be read \(.*JSON.*\); it is ignored$/),
      expect.stringMatching(/^.*future\.json is not a KVMNet network record \(version: .*\); it is ignored$/),
      expect.stringMatching(/^.*renamed\.json describes the network "iso", not the one its file name says; it is ignored$/),
    ]);
  });

  it('a missing directory means no networks yet', async () => {
    expect(await readNetworkRecords(join(dir, 'absent'))).toEqual({ records: [], problems: [] });
  });
});

describe('listNetworks', () => {
  it('shows direct records (active when their bridge is there) and every libvirt network, sorted by name', () => {
    const snapshot = laptopSnapshot();
    snapshot.links.push(link('kv-ho', 'bridge', [['10.80.2.1', 24]], { owner: 'ho', alias: 'kvmnet:ho' }));
    const list = listNetworks(snapshot, [{ version: 1, spec: specs.hostonly }, { version: 1, spec: specs.isolated }], [
      { name: 'lab', managedByKvmnet: true, kind: 'nat', forwardMode: 'nat', bridge: 'kv-lab', ipv4: labSpec.ipv4, dhcp: labSpec.dhcp, additionalSubnets: [] },
    ]);
    expect(list.map((n) => [n.name, n.backend, n.active, n.managed])).toEqual([
      ['default', 'libvirt', true, false],
      ['ho', 'direct', true, true],
      ['iso', 'direct', false, true],
      ['lab', 'libvirt', true, true],
    ]);
    // the definition of "default" could not be read: what the snapshot knows is still shown
    expect(list[0]).toEqual({
      name: 'default', kind: null, backend: 'libvirt', bridge: 'virbr0', subnet: null, gateway: null, dhcp: null, ipv6: null,
      active: true, autostart: true, uplink: null, managed: false, readOnly: true, forwardMode: 'nat',
    });
    expect(list[3]).toMatchObject({ kind: 'nat', subnet: '10.80.0.0/24', gateway: '10.80.0.1', dhcp: labSpec.dhcp, readOnly: false });
  });

  it('marks a routed network with proxy ARP, and only that one', () => {
    const wifi = { ...specs.routed, name: 'wifi', bridge: 'kv-wifi', uplink: 'wlan0', proxyArp: true };
    const list = listNetworks(laptopSnapshot(), [{ version: 1, spec: wifi }, { version: 1, spec: specs.routed }], []);
    expect(list.find((n) => n.name === 'wifi')).toMatchObject({ kind: 'routed', uplink: 'wlan0', proxyArp: true });
    expect(list.find((n) => n.name === 'routed')).not.toHaveProperty('proxyArp');
  });
});
