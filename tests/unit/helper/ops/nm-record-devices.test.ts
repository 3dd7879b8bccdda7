import { describe, expect, it } from 'vitest';
import { bridgedRecordPath } from '../../../../main/core/paths';
import { nmCheckpointCreate } from '../../../../main/helper/ops/nm-checkpoint';
import { nmConnectionAdd, nmConnectionDown, nmConnectionUp } from '../../../../main/helper/ops/nm-connection';
import { FakeHostIo } from '../fake-host-io';
import { NM_PROFILES, NM_RECORD } from '../nm-record-fixture';
import { FakeNmBus } from '../fake-nm-bus';

const { bridge: BRIDGE, port: PORT, user: USER } = NM_PROFILES;
const record = NM_RECORD;

/** a host whose NetworkManager has none of the profiles yet, with the network's record written */
function hostWithRecord(): FakeHostIo {
  const io = new FakeHostIo(new FakeNmBus(['eth1', 'br0'], new Map()).answer);
  io.files.set(bridgedRecordPath('lan', true), JSON.stringify(record));
  return io;
}

describe('NetworkManager steps stay on the devices of the network\'s record', () => {
  it('adds the bridge profile only for the bridge and the port only for the uplink', async () => {
    const add = (type: 'bridge' | 'ethernet', uuid: string, ifname: string) => nmConnectionAdd.inverse({ op: 'nm.connection.add', network: 'lan', uuid, type, id: 'kvmnet-x', ifname, settings: [] }, hostWithRecord());
    await expect(add('bridge', BRIDGE, 'br0')).resolves.toEqual([{ ensure: 'nm.connection.absent', uuid: BRIDGE }]);
    await expect(add('ethernet', PORT, 'eth1')).resolves.toEqual([{ ensure: 'nm.connection.absent', uuid: PORT }]);
    await expect(add('bridge', BRIDGE, 'eth0')).rejects.toThrow(/for br0, not eth0/);
    await expect(add('ethernet', PORT, 'wlan0')).rejects.toThrow(/for eth1, not wlan0/);
  });

  it('switches profiles on and off only on their own device', async () => {
    const io = hostWithRecord();
    await expect(nmConnectionUp.inverse({ op: 'nm.connection.up', network: 'lan', uuid: BRIDGE, device: 'br0' }, io)).resolves.toHaveLength(1);
    await expect(nmConnectionUp.inverse({ op: 'nm.connection.up', network: 'lan', uuid: USER, device: 'eth1' }, io)).resolves.toHaveLength(1);
    await expect(nmConnectionUp.inverse({ op: 'nm.connection.up', network: 'lan', uuid: USER, device: 'eth0' }, io)).rejects.toThrow(/runs on eth1, not eth0/);
    await expect(nmConnectionDown.inverse({ op: 'nm.connection.down', network: 'lan', uuid: BRIDGE, device: 'eth1' }, io)).rejects.toThrow(/runs on br0, not eth1/);
  });

  it('activates a profile on the device the step names', async () => {
    const io = hostWithRecord();
    await nmConnectionUp.run({ op: 'nm.connection.up', network: 'lan', uuid: USER, device: 'eth1' }, io);
    expect(io.calls.at(-1)?.args).toEqual(['--wait', '45', 'connection', 'up', 'uuid', USER, 'ifname', 'eth1']);
  });

  it('checkpoints only the uplink and bridge of a recorded network', async () => {
    const create = (devices: string[], io = hostWithRecord()) => nmCheckpointCreate.inverse({ op: 'nm.checkpoint.create', network: 'lan', devices, timeoutSeconds: 60 }, io);
    await expect(create(['eth1', 'br0'])).resolves.toEqual([{ ensure: 'nm.checkpoint.rolledBack', network: 'lan', before: [], devices: ['eth1', 'br0'] }]);
    await expect(create(['eth1', 'eth0'])).rejects.toThrow(/eth0 is neither the uplink eth1 nor the bridge br0/);
    await expect(create(['eth1'], new FakeHostIo())).rejects.toThrow(/no NetworkManager bridge record/);
  });
});
