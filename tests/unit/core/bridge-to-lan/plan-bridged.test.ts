import { describe, expect, it } from 'vitest';
import { NmUplink } from '../../../../main/core/bridge-to-lan/nm-profile';
import { confirmPlan, rollbackPlan } from '../../../../main/core/bridge-to-lan/pending-plans';
import { planNetworkdCreate, planNetworkdDelete, planNmCreate, planNmDelete, planRuntimeCreate, planRuntimeDelete } from '../../../../main/core/bridge-to-lan/plan-bridged';
import type { UplinkAddressing } from '../../../../main/core/bridge-to-lan/uplink-addressing';
import { Plan } from '../../../../main/helper/protocol';
import { parseConnectionShow } from '../../../../main/host/network-manager/uplink-profile';
import { nmFixture } from '../../../fixtures/nm/fixture';

const BRIDGE_UUID = '0b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11';
const PORT_UUID = '5e0c7a9d-2f4b-4c8e-8a61-9d3b7f2e1a22';
const timing = { now: '2026-01-02T10:00:00.000Z', confirmTimeoutSeconds: 60, armId: 'a1' };
const uplink = NmUplink.parse({ device: 'eth0', mac: '02:00:00:00:00:10', ...parseConnectionShow(nmFixture('connection-show-dhcp-active.txt')) });
const addressing: UplinkAddressing = {
  uplink: 'eth0', mac: '02:00:00:00:00:10', mtu: 1500,
  addresses: [{ cidr: '203.0.113.50/24', validLft: 'forever', preferredLft: 'forever' }],
  routes: [{ family: 'inet', dst: 'default', gateway: '203.0.113.1', metric: 100 }],
};

describe('planNmCreate', () => {
  const { plan, record, pending } = planNmCreate({ ...timing, name: 'lan', uplink, bridgeName: 'br0', bridgeUuid: BRIDGE_UUID, portUuid: PORT_UUID });

  it('writes the record first, so every later profile step can be checked against it, and arms the confirmation last', () => {
    expect(Plan.parse(plan)).toEqual(plan);
    expect(plan.steps.map((s) => s.op)).toEqual(['bridged.record', 'nm.checkpoint.create', 'nm.connection.add', 'nm.connection.add', 'nm.connection.up', 'pending.arm']);
    expect(record).toMatchObject({ name: 'lan', uplink: 'eth0', bridge: 'br0', persistence: 'networkmanager', nm: { bridgeUuid: BRIDGE_UUID, portUuid: PORT_UUID, uplinkProfile: { uuid: uplink.profile.uuid } } });
  });

  it('gives NetworkManager the same deadline as the confirmation, on the uplink only (Wi-Fi and VPNs are left alone on rollback)', () => {
    expect(plan.steps[1]).toEqual({ op: 'nm.checkpoint.create', network: 'lan', devices: ['eth0'], timeoutSeconds: 60 });
    expect(pending.deadline).toBe('2026-01-02T10:01:00.000Z');
  });

  it('rolls back through the checkpoint and forgets the record; commits by ending the checkpoint', () => {
    expect(pending.rollback).toEqual([{ op: 'nm.checkpoint.rollback', network: 'lan' }, { op: 'bridged.record', network: 'lan', persistent: true, record: null }]);
    expect(pending.commit).toEqual([{ op: 'nm.checkpoint.destroy', network: 'lan' }]);
  });

  it("never names the user's profile except to reactivate it on delete", () => {
    expect(JSON.stringify(plan.steps.filter((s) => s.op !== 'bridged.record'))).not.toContain(uplink.profile.uuid);
    const removal = planNmDelete(record, { ...timing, armId: 'a2' });
    expect(removal.plan.steps.filter((s) => s.op === 'nm.connection.delete').map((s) => 'uuid' in s && s.uuid)).toEqual([PORT_UUID, BRIDGE_UUID]);
    expect(removal.plan.steps).toContainEqual({ op: 'nm.connection.up', network: 'lan', uuid: uplink.profile.uuid, device: 'eth0' });
    expect(removal.pending.rollback).toContainEqual({ op: 'bridged.record', network: 'lan', persistent: true, record });
  });
});

describe('planRuntimeCreate and planRuntimeDelete', () => {
  const created = planRuntimeCreate({ ...timing, name: 'lan', bridgeName: 'br0', addressing });

  it('keeps the record under /run (it is gone at reboot, like the bridge) and rolls back by unbridging', () => {
    expect(Plan.parse(created.plan).steps.map((s) => s.op)).toEqual(['bridged.record', 'uplink.bridge', 'pending.arm']);
    expect(created.plan.steps[0]).toMatchObject({ persistent: false, record: { persistence: 'runtime', addressing } });
    expect(created.pending.rollback.map((s) => s.op)).toEqual(['uplink.unbridge', 'bridged.record']);
    expect(created.pending.commit).toEqual([]);
  });

  it('deletes by giving the uplink its addressing back, and bridges again on rollback', () => {
    const removal = planRuntimeDelete(created.record, timing);
    expect(removal.plan.steps.map((s) => s.op)).toEqual(['uplink.unbridge', 'pending.arm']);
    expect(removal.pending.rollback.map((s) => s.op)).toEqual(['bridged.record', 'uplink.bridge']);
    expect(removal.pending.commit).toEqual([{ op: 'bridged.record', network: 'lan', persistent: false, record: null }]);
  });
});

describe('planNetworkdCreate and planNetworkdDelete', () => {
  const { plan, record, pending } = planNetworkdCreate({ ...timing, name: 'lan', bridgeName: 'br0', addressing });

  it('keeps the record under /etc (networkd brings the bridge back at boot), the files written by the helper between record and arm', () => {
    expect(Plan.parse(plan)).toEqual(plan);
    expect(record).toMatchObject({ persistence: 'systemd-networkd', uplink: 'eth0', bridge: 'br0', addressing });
    expect(plan.steps).toEqual([
      { op: 'bridged.record', network: 'lan', persistent: true, record },
      { op: 'networkd.bridge', network: 'lan', uplink: 'eth0', bridge: 'br0' },
      { op: 'pending.arm', pending },
    ]);
  });

  it('rolls back by removing its files (the user\'s file takes over) and forgetting the record; nothing to commit', () => {
    expect(pending.rollback).toEqual([{ op: 'networkd.unbridge', network: 'lan', uplink: 'eth0', bridge: 'br0' }, { op: 'bridged.record', network: 'lan', persistent: true, record: null }]);
    expect(pending.commit).toEqual([]);
  });

  it('deletes by removing its files; a rollback writes the record and the files again; the commit forgets the record', () => {
    const deleted = planNetworkdDelete(record, timing);
    expect(deleted.plan.steps.map((s) => s.op)).toEqual(['networkd.unbridge', 'pending.arm']);
    expect(deleted.pending.rollback).toEqual([{ op: 'bridged.record', network: 'lan', persistent: true, record }, { op: 'networkd.bridge', network: 'lan', uplink: 'eth0', bridge: 'br0' }]);
    expect(deleted.pending.commit).toEqual([{ op: 'bridged.record', network: 'lan', persistent: true, record: null }]);
  });
});

describe('ending a pending change', () => {
  const { pending } = planRuntimeCreate({ ...timing, name: 'lan', bridgeName: 'br0', addressing });

  it('claims it first (so a confirmation racing the timer runs once) and records the outcome last', () => {
    const confirm = confirmPlan(pending);
    expect(confirm.steps[0]).toEqual({ op: 'pending.claim', network: 'lan', armId: 'a1' });
    expect(confirm.steps.at(-1)).toEqual({ op: 'pending.outcome', network: 'lan', armId: 'a1', outcome: 'confirmed' });
    const rollback = rollbackPlan(pending, 'check failed');
    expect(rollback.steps.map((s) => s.op)).toEqual(['pending.claim', 'uplink.unbridge', 'bridged.record', 'pending.outcome']);
    expect(rollback.description).toContain('check failed');
  });
});
