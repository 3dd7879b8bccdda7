import { describe, expect, it } from 'vitest';
import { nicSourceOf, planAttachDomainNic, planAttachTap, planDetachDomainNic, planDetachTap } from '../../../../main/core/plan/attach-plans';
import { planDelete, planStart } from '../../../../main/core/plan/network-plans';
import type { KvmnetNetwork } from '../../../../main/core/plan/plan-context';
import { Plan } from '../../../../main/helper/protocol';
import { link } from '../network/host-fixture';
import { bareSnapshot, context, record, running, specs } from './plan-fixture';

const TAP = { name: 'kvt-lab-0', user: 1000, mac: '52:54:00:00:00:10' };
const direct = (taps?: (typeof TAP)[]): Extract<KvmnetNetwork, { backend: 'direct' }> =>
  ({ backend: 'direct', record: { ...record(specs.nat), ...(taps && { taps }) }, active: true });
const libvirt: KvmnetNetwork = { backend: 'libvirt', network: { name: 'lab', active: true, autostart: true, persistent: true, bridge: 'kv-lab', forwardMode: 'nat', managedByKvmnet: true } };

describe('attach plans', () => {
  it('a direct network: tap for the user, on the bridge, up, then the record lists it', () => {
    const plan = planAttachTap(direct(), TAP);
    expect(plan.steps).toEqual([
      { op: 'link.add', kind: 'tap', name: 'kvt-lab-0', network: 'lab', user: 1000, mac: 'fe:54:00:00:00:10' },
      { op: 'link.setMaster', name: 'kvt-lab-0', master: 'kv-lab' },
      { op: 'link.setState', name: 'kvt-lab-0', up: true },
      { op: 'record.write', record: { version: 1, spec: specs.nat, taps: [TAP] } },
    ]);
    expect(Plan.safeParse(plan).success).toBe(true);
  });

  it('a libvirt network: the bridge is libvirt\'s, so the tap joins it through libvirt.attachTap', () => {
    expect(planAttachTap(libvirt, TAP).steps.map((s) => s.op)).toEqual(['link.add', 'libvirt.attachTap', 'link.setState']);
  });

  it('detach takes the tap out of the record first, dropping the field with the last one, then deletes it', () => {
    expect(planDetachTap(direct([TAP]), TAP.name).steps).toEqual([
      { op: 'record.write', record: { version: 1, spec: specs.nat } },
      { op: 'link.delete', name: TAP.name },
    ]);
    expect(planDetachTap(libvirt, TAP.name).steps).toEqual([{ op: 'link.delete', name: TAP.name }]);
  });

  it('domain NICs plug into the libvirt network, or a direct network\'s bridge', () => {
    expect(nicSourceOf(libvirt)).toEqual({ type: 'network', network: 'lab' });
    expect(nicSourceOf(direct())).toEqual({ type: 'bridge', bridge: 'kv-lab' });
    const attach = planAttachDomainNic(direct(), 'web', '52:54:00:00:00:11', 'e1000e');
    expect(attach.steps).toEqual([{ op: 'libvirt.attachInterface', domain: 'web', network: 'lab', source: { type: 'bridge', bridge: 'kv-lab' }, mac: '52:54:00:00:00:11', model: 'e1000e' }]);
    expect(planDetachDomainNic(libvirt, 'web', '52:54:00:00:00:11').steps).toEqual([
      { op: 'libvirt.detachInterface', domain: 'web', network: 'lab', source: { type: 'network', network: 'lab' }, mac: '52:54:00:00:00:11' },
    ]);
    expect(Plan.safeParse(attach).success).toBe(true);
  });
});

describe('guest taps in the network plans', () => {
  const withTap = { ...record(specs.nat), taps: [TAP] };

  it('start (and the boot unit) make a recorded tap anew after the bridge is up, or re-plug one still there', () => {
    const gone = planStart({ backend: 'direct', record: withTap, active: false }, context([withTap], '1'));
    expect(gone.steps.slice(-3)).toEqual([
      { op: 'link.add', kind: 'tap', name: TAP.name, network: 'lab', user: 1000, mac: 'fe:54:00:00:00:10' },
      { op: 'link.setMaster', name: TAP.name, master: 'kv-lab' },
      { op: 'link.setState', name: TAP.name, up: true },
    ]);
    const still = bareSnapshot();
    still.links.push(link(TAP.name, 'tap', [], { alias: 'kvmnet:lab', owner: 'lab' }));
    const kept = planStart({ backend: 'direct', record: withTap, active: false }, context([withTap], '1', still));
    expect(kept.steps.slice(-2).map((s) => s.op)).toEqual(['link.setMaster', 'link.setState']);
    expect(kept.steps.some((s) => s.op === 'link.add' && s.kind === 'tap')).toBe(false);
  });

  it('delete removes the network\'s taps before its bridge', () => {
    const snapshot = running(bareSnapshot(), withTap);
    snapshot.links.push(link(TAP.name, 'tap', [], { alias: 'kvmnet:lab', owner: 'lab', master: 'kv-lab' }));
    const ops = planDelete({ backend: 'direct', record: withTap, active: true }, context([withTap], '1', snapshot)).steps.map((s) => s.op === 'link.delete' ? `${s.op} ${s.name}` : s.op);
    expect(ops.indexOf(`link.delete ${TAP.name}`)).toBeGreaterThan(ops.indexOf('record.delete'));
    expect(ops.indexOf(`link.delete ${TAP.name}`)).toBeLessThan(ops.indexOf('link.delete kv-lab'));
  });
});
