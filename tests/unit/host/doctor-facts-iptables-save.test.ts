import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { forwardBlockers } from '../../../main/core/doctor/forward-blockers';
import { parseIptablesSave } from '../../../main/host/doctor-facts/parse-iptables-save';

const legacy = () => parseIptablesSave(readFileSync('tests/fixtures/doctor/docker.iptables-legacy-save.txt', 'utf8'), { source: 'iptables-legacy', family: 'ip' });

describe('parseIptablesSave', () => {
  it('reads chains with their policies and hooks', () => {
    const chains = legacy();
    expect(chains.map((c) => [c.name, c.hook ?? null, c.policy ?? null])).toEqual([
      ['INPUT', 'input', 'accept'],
      ['FORWARD', 'forward', 'drop'],
      ['OUTPUT', 'output', 'accept'],
      ['DOCKER', null, null],
      ['DOCKER-ISOLATION-STAGE-1', null, null],
      ['DOCKER-ISOLATION-STAGE-2', null, null],
      ['DOCKER-USER', null, null],
    ]);
    expect(chains.every((c) => c.source === 'iptables-legacy' && c.family === 'ip' && c.table === 'filter')).toBe(true);
  });

  it('reads interfaces, negation, conntrack states, jumps and targets; other options become "other"', () => {
    const forward = legacy().find((c) => c.name === 'FORWARD')!;
    expect(forward.rules[0]).toEqual({ matches: [], verdict: 'jump', target: 'DOCKER-USER', text: '-j DOCKER-USER' });
    expect(forward.rules[2]).toMatchObject({ matches: [{ field: 'oifname', values: ['docker0'] }, { field: 'ctstate', values: ['related', 'established'] }], verdict: 'accept' });
    expect(forward.rules[4]!.matches).toEqual([
      { field: 'iifname', negate: false, values: ['docker0'] },
      { field: 'oifname', negate: true, values: ['docker0'] },
    ]);
    expect(forward.rules[6]).toMatchObject({
      matches: [{ field: 'saddr', values: ['10.99.0.0/16'], family: 'ip' }, { field: 'other' }, { field: 'other' }],
      verdict: 'reject',
      text: '-s 10.99.0.0/16 -p tcp -m tcp --dport 25 -j REJECT --reject-with icmp-port-unreachable',
    });
  });

  it('makes Docker’s legacy FORWARD drop a KVMNet bridge, and a port-specific reject only "maybe" for its subnet', () => {
    expect(forwardBlockers(legacy(), { family: 'ip', iif: 'kvbr0', oif: 'eth0', saddr: '10.80.0.0/24', ctState: 'new' })).toMatchObject([{ certain: true }]);
    const chains = legacy().map((c) => (c.name === 'FORWARD' ? { ...c, policy: 'accept' as const } : c));
    expect(forwardBlockers(chains, { family: 'ip', iif: 'kvbr0', oif: 'eth0', saddr: '10.99.1.0/24', ctState: 'new' })).toMatchObject([{ certain: false }]);
  });

  it('turns iptables interface wildcards into nftables ones, and reads quoted words', () => {
    const [forward] = parseIptablesSave('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -i veth+ -m comment --comment "drop it all" -j DROP\nCOMMIT\n', { source: 'iptables-legacy', family: 'ip' });
    expect(forward!.rules[0]).toMatchObject({ matches: [{ field: 'iifname', values: ['veth*'] }, { field: 'other' }], verdict: 'drop' });
  });

  it('returns nothing for output without a filter table', () => {
    expect(parseIptablesSave('', { source: 'iptables-legacy', family: 'ip' })).toEqual([]);
  });
});
