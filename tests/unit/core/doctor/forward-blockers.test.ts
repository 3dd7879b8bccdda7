import { describe, expect, it } from 'vitest';
import { describeBlocker, forwardBlockers, type Flow } from '../../../../main/core/doctor/forward-blockers';
import { chain, dropPolicyForward, m, rule } from './doctor-facts-fixture';

const out: Flow = { family: 'ip', iif: 'kvbr0', oif: 'eth0', saddr: '10.80.0.0/24', ctState: 'new' };
const back: Flow = { family: 'ip', iif: 'eth0', oif: 'kvbr0', daddr: '10.80.0.0/24', ctState: 'established' };

describe('forwardBlockers', () => {
  it('blames a drop policy only when no rule accepts first', () => {
    const [policy] = forwardBlockers([dropPolicyForward()], out);
    expect(policy).toMatchObject({ certain: true, chain: { name: 'forward' } });
    expect(policy!.rule).toBeUndefined();
    expect(forwardBlockers([dropPolicyForward([rule([m('iifname', ['kvbr0'])], 'accept')])], out)).toEqual([]);
    expect(forwardBlockers([dropPolicyForward([rule([m('iifname', ['kvbr0'])], 'accept')])], back)).toHaveLength(1);
  });

  it('knows an accept ends only its own base chain: a drop in another chain on the hook still blocks', () => {
    const kvmnet = chain('forward', [rule([], 'accept')], { family: 'inet', table: 'kvmnet', hook: 'forward', policy: 'accept' });
    const other = chain('forward', [], { family: 'ip', table: 'filter', hook: 'forward', policy: 'drop' });
    expect(forwardBlockers([kvmnet, other], out).map((b) => b.base.table)).toEqual(['filter']);
  });

  it('follows jumps and returns, and a goto that falls through ends the calling chain', () => {
    const base = dropPolicyForward([rule([], 'jump', { target: 'USER' }), rule([m('oifname', ['eth0'])], 'accept')]);
    const user = chain('USER', [rule([m('iifname', ['kvbr0'])], 'return'), rule([], 'drop')]);
    expect(forwardBlockers([base, user], out)).toEqual([]);
    expect(forwardBlockers([base, user], { ...out, iif: 'kvbr1' })).toMatchObject([{ chain: { name: 'USER' }, certain: true }]);

    const viaGoto = chain('forward', [rule([], 'goto', { target: 'ZONE' }), rule([], 'accept')], { hook: 'forward', policy: 'drop' });
    const zone = chain('ZONE', []);
    const [fellThrough] = forwardBlockers([viaGoto, zone], out);
    expect(fellThrough).toMatchObject({ base: { name: 'forward' }, certain: true });
    expect(fellThrough!.rule).toBeUndefined();
  });

  it('matches negations, interface wildcards and address containment', () => {
    const drop = (matches: ReturnType<typeof m>[]) => forwardBlockers([chain('forward', [rule(matches, 'drop')], { hook: 'forward', policy: 'accept' })], out);
    expect(drop([m('oifname', ['docker0'], { negate: true })])).toMatchObject([{ certain: true }]);
    expect(drop([m('iifname', ['kv*'])])).toMatchObject([{ certain: true }]);
    expect(drop([m('iifname', ['docker*'])])).toEqual([]);
    expect(drop([m('saddr', ['10.0.0.0/8'], { family: 'ip' })])).toMatchObject([{ certain: true }]);
    // only part of the subnet: some guests are dropped, so "may"
    expect(drop([m('saddr', ['10.80.0.128/25'], { family: 'ip' })])).toMatchObject([{ certain: false }]);
    expect(drop([m('saddr', ['192.168.0.0/16'], { family: 'ip' })])).toEqual([]);
    // an ip6 match never hits an IPv4 packet, negated or not
    expect(drop([m('saddr', ['::/0'], { family: 'ip6' })])).toEqual([]);
    expect(drop([m('saddr', ['::/0'], { family: 'ip6', negate: true })])).toEqual([]);
  });

  it('reads connection state and DNAT status for the traffic described', () => {
    const base = chain('forward', [rule([m('ctstate', ['established', 'related'])], 'accept'), rule([m('ctstatus', ['dnat'])], 'accept'), rule([], 'reject')], { hook: 'forward', policy: 'accept' });
    expect(forwardBlockers([base], back)).toEqual([]);
    expect(forwardBlockers([base], out)).toMatchObject([{ certain: true }]);
  });

  it('makes a drop uncertain after a rule that might have accepted, and skips chains of other families', () => {
    const base = dropPolicyForward([rule([m('iifname', ['kvbr0']), m('other', [])], 'accept')]);
    expect(forwardBlockers([base], out)).toMatchObject([{ certain: false }]);
    expect(forwardBlockers([{ ...dropPolicyForward(), family: 'ip6' }], out)).toEqual([]);
    expect(forwardBlockers([{ ...dropPolicyForward(), family: 'bridge' }], out)).toEqual([]);
  });

  it('describes where the drop is', () => {
    const [policy] = forwardBlockers([dropPolicyForward()], out);
    expect(describeBlocker(policy!)).toBe('the drop policy of chain forward in table ip filter');
    const [byRule] = forwardBlockers([{ ...chain('FORWARD', [rule([m('iifname', ['kvbr0'])], 'drop', { text: '-i kvbr0 -j DROP' })], { hook: 'forward', policy: 'accept' }), source: 'iptables-legacy' }], out);
    expect(describeBlocker(byRule!)).toBe('the rule "-i kvbr0 -j DROP" in chain FORWARD in table ip filter (iptables-legacy)');
  });
});
