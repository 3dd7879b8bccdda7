import { describe, expect, it } from 'vitest';
import { planCreate, planDelete } from '../../../../main/core/plan/network-plans';
import type { Step } from '../../../../main/helper/protocol';
import type { NetworkRecord } from '../../../../main/core/network/network-record';
import { bareSnapshot, context, record, running, specs, withoutForwardingLibvirt } from './plan-fixture';

const sysctlSteps = (steps: Step[]) => steps.filter((s) => s.op === 'sysctl.set');
const writes = (steps: Step[]) => steps.flatMap((s) => (s.op === 'record.write' ? [s.record] : []));
const quiet = () => withoutForwardingLibvirt(bareSnapshot());

describe('ip_forward bookkeeping across networks', () => {
  it('the first forwarding network turns it on and remembers 0; a second one finds it on and changes nothing', () => {
    const first = planCreate(specs.nat, context([], '0', quiet()));
    expect(sysctlSteps(first.steps)).toEqual([
      { op: 'sysctl.set', key: 'net.ipv6.conf.kv-lab.disable_ipv6', value: '1' },
      { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' },
    ]);
    const firstRecord = writes(first.steps)[0]!;
    expect(firstRecord.ipForwardBefore).toBe('0');

    const second = planCreate(specs.routed, context([firstRecord], '1', quiet()));
    expect(sysctlSteps(second.steps)).toEqual([{ op: 'sysctl.set', key: 'net.ipv6.conf.kv-routed.disable_ipv6', value: '1' }]);
    expect(writes(second.steps)[0]!.ipForwardBefore).toBeUndefined();
  });

  it('when forwarding was on before KVMNet, nothing is remembered and deleting the last network leaves it on', () => {
    const created = writes(planCreate(specs.nat, context([], '1', quiet())).steps)[0]!;
    expect(created.ipForwardBefore).toBeUndefined();
    const deleted = planDelete({ backend: 'direct', record: created, active: true }, context([created], '1', quiet()));
    expect(sysctlSteps(deleted.steps)).toEqual([]);
  });

  it('deleting a forwarding network while another still forwards keeps forwarding on and hands the memory over', () => {
    const first = record(specs.nat, '0');
    const second = record(specs.routed);
    const plan = planDelete({ backend: 'direct', record: first, active: true }, context([first, second], '1', running(quiet(), first, second)));
    expect(sysctlSteps(plan.steps)).toEqual([]);
    expect(writes(plan.steps)).toEqual([{ ...second, ipForwardBefore: '0' }]);

    // the heir is now the last one: deleting it restores 0
    const heir: NetworkRecord = { ...second, ipForwardBefore: '0' };
    const last = planDelete({ backend: 'direct', record: heir, active: true }, context([heir], '1', running(quiet(), heir)));
    expect(sysctlSteps(last.steps)).toEqual([{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '0' }]);
  });

  it('deleting a network that does not forward never touches ip_forward, even when it is the last network', () => {
    const ho = record(specs.hostonly);
    const plan = planDelete({ backend: 'direct', record: ho, active: true }, context([ho], '1', quiet()));
    expect(sysctlSteps(plan.steps)).toEqual([]);
    expect(plan.steps[0]).toEqual({ op: 'boot.unit', enabled: false });
  });

  it('leaves forwarding on when a running libvirt network forwards (libvirt turned it on for its NAT)', () => {
    const r = record(specs.nat, '0');
    const plan = planDelete({ backend: 'direct', record: r, active: true }, context([r], '1', running(bareSnapshot(), r)));
    expect(bareSnapshot().libvirt.networks).toContainEqual(expect.objectContaining({ name: 'default', active: true, forwardMode: 'nat' }));
    expect(sysctlSteps(plan.steps)).toEqual([]);
  });

  it('does not restore what is already restored (someone turned forwarding off meanwhile)', () => {
    const r = record(specs.nat, '0');
    const plan = planDelete({ backend: 'direct', record: r, active: true }, context([r], '0', quiet()));
    expect(sysctlSteps(plan.steps)).toEqual([]);
  });
});

describe('the boot unit follows the direct networks', () => {
  it('is disabled only when the last direct network goes, whatever its kind', () => {
    const nat = record(specs.nat, '0');
    const iso = record(specs.isolated);
    const notLast = planDelete({ backend: 'direct', record: iso, active: true }, context([nat, iso], '1', quiet()));
    expect(notLast.steps.some((s) => s.op === 'boot.unit')).toBe(false);
    const last = planDelete({ backend: 'direct', record: iso, active: true }, context([iso], '1', quiet()));
    expect(last.steps[0]).toEqual({ op: 'boot.unit', enabled: false });
  });

  it('libvirt networks never touch it', () => {
    const plan = planCreate({ ...specs.nat, backend: 'libvirt' }, context([], '0'));
    expect(plan.steps.some((s) => s.op === 'boot.unit' || s.op === 'sysctl.set' || s.op === 'record.write')).toBe(false);
  });
});
