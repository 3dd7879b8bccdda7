import { describe, expect, it } from 'vitest';
import { planCreate, planDelete } from '../../../../main/core/plan/network-plans';
import type { Step } from '../../../../main/helper/protocol';
import type { NetworkRecord } from '../../../../main/core/network/network-record';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import type { PlanContext } from '../../../../main/core/plan/plan-context';
import { routerAdvertisementIssues } from '../../../../main/core/plan/router-advertisements';
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

describe('IPv6 forwarding bookkeeping (nat and routed networks with an IPv6 subnet)', () => {
  const v6 = (spec: NetworkSpec, n: number): NetworkSpec => ({ ...spec, ipv6: { subnet: `fd5a:c0de:${n}::/64`, gateway: `fd5a:c0de:${n}::1`, dhcp: null } });
  const natV6 = v6(specs.nat, 80);
  const routedV6 = v6(specs.routed, 81);
  const withIpv6 = (c: PlanContext, forwarding: '0' | '1'): PlanContext => ({ ...c, ipv6: { forwarding, acceptRa: {} } });

  it('the first IPv6 network turns it on after ip_forward and remembers 0 beside ip_forward\'s memory', () => {
    const plan = planCreate(natV6, withIpv6(context([], '0', quiet()), '0'));
    expect(sysctlSteps(plan.steps)).toEqual([
      { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' },
      { op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '1' },
    ]);
    expect(plan.steps.findIndex((s) => s.op === 'nft.network')).toBeLessThan(plan.steps.findIndex((s) => s.op === 'sysctl.set' && s.key === 'net.ipv6.conf.all.forwarding'));
    expect(writes(plan.steps)[0]).toMatchObject({ ipForwardBefore: '0', ipv6ForwardingBefore: '0' });
  });

  it('networks without an IPv6 subnet, hostonly ones, and kernels without IPv6 leave it alone', () => {
    expect(sysctlSteps(planCreate(specs.nat, withIpv6(context([], '1', quiet()), '0')).steps)).toEqual([{ op: 'sysctl.set', key: 'net.ipv6.conf.kv-lab.disable_ipv6', value: '1' }]);
    expect(sysctlSteps(planCreate(v6(specs.hostonly, 82), withIpv6(context([], '1', quiet()), '0')).steps)).toEqual([]);
    const noIpv6 = planCreate(natV6, context([], '1', quiet()));
    expect(sysctlSteps(noIpv6.steps)).toEqual([]);
    expect(writes(noIpv6.steps)[0]!.ipv6ForwardingBefore).toBeUndefined();
  });

  it('the last IPv6 network restores it (before ip_forward, the reverse of turning on); an IPv4-only heir takes only ip_forward\'s memory', () => {
    const r = record(natV6, '0');
    const alone: NetworkRecord = { ...r, ipv6ForwardingBefore: '0' };
    const last = planDelete({ backend: 'direct', record: alone, active: true }, withIpv6(context([alone], '1', running(quiet(), alone)), '1'));
    expect(sysctlSteps(last.steps)).toEqual([
      { op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '0' },
      { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '0' },
    ]);

    const v4heir = record(specs.routed);
    const handed = planDelete({ backend: 'direct', record: alone, active: true }, withIpv6(context([alone, v4heir], '1', running(quiet(), alone, v4heir)), '1'));
    expect(sysctlSteps(handed.steps)).toEqual([{ op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '0' }]);
    expect(writes(handed.steps)).toEqual([{ ...v4heir, ipForwardBefore: '0' }]);
  });

  it('an IPv6 heir takes both memories in one record write', () => {
    const first: NetworkRecord = { ...record(natV6, '0'), ipv6ForwardingBefore: '0' };
    const heir = record(routedV6);
    const plan = planDelete({ backend: 'direct', record: first, active: true }, withIpv6(context([first, heir], '1', running(quiet(), first, heir)), '1'));
    expect(sysctlSteps(plan.steps)).toEqual([]);
    expect(writes(plan.steps)).toEqual([{ ...heir, ipForwardBefore: '0', ipv6ForwardingBefore: '0' }]);
  });
});

describe('routerAdvertisementIssues', () => {
  const natV6: NetworkSpec = { ...specs.nat, ipv6: { subnet: 'fd5a:c0de:80::/64', gateway: 'fd5a:c0de:80::1', dhcp: null } };
  // the laptop learns its IPv6 prefix and default route on eth0 from router advertisements
  const snapshot = quiet();
  const withoutRa = { ...snapshot, routes: snapshot.routes.filter((r) => r.protocol !== 'ra') };
  const at = (forwarding: '0' | '1', acceptRa: string) => ({ snapshot, ipv6: { forwarding, acceptRa: { eth0: acceptRa } } });

  it('refuses turning IPv6 forwarding on while an interface learns its route from router advertisements with accept_ra 1, naming the fix', () => {
    const issues = routerAdvertisementIssues(natV6, at('0', '1'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.field).toBe('ipv6');
    expect(issues[0]!.message).toContain('net.ipv6.conf.eth0.accept_ra=2');
  });

  it('has nothing to say with accept_ra 2, forwarding already on, no route from advertisements, or no forwarding needed', () => {
    expect(routerAdvertisementIssues(natV6, at('0', '2'))).toEqual([]);
    expect(routerAdvertisementIssues(natV6, at('1', '1'))).toEqual([]);
    expect(snapshot.routes.some((r) => r.protocol === 'ra' && r.dev === 'eth0')).toBe(true);
    expect(routerAdvertisementIssues(natV6, { snapshot: withoutRa, ipv6: { forwarding: '0', acceptRa: { eth0: '1' } } })).toEqual([]);
    expect(routerAdvertisementIssues(specs.nat, at('0', '1'))).toEqual([]);
    expect(routerAdvertisementIssues({ ...natV6, kind: 'hostonly' }, at('0', '1'))).toEqual([]);
  });
});
