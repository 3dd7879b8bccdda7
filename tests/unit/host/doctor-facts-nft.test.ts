import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { forwardBlockers, type Flow } from '../../../main/core/doctor/forward-blockers';
import { parseIptablesSave } from '../../../main/host/doctor-facts/parse-iptables-save';
import { parseNftRuleset } from '../../../main/host/doctor-facts/parse-nft-ruleset';

const fixture = (name: string) => readFileSync(`tests/fixtures/doctor/${name}`, 'utf8');

const outFrom = (bridge: string, subnet: string, uplink = 'eth0'): Flow => ({ family: 'ip', iif: bridge, oif: uplink, saddr: subnet, ctState: 'new' });
const backTo = (bridge: string, subnet: string, uplink = 'eth0'): Flow => ({ family: 'ip', iif: uplink, oif: bridge, daddr: subnet, ctState: 'established' });

describe('parseNftRuleset on Docker after libvirt (iptables-nft)', () => {
  const ruleset = parseNftRuleset(fixture('docker-libvirt.nft.json'));

  it('lists every table, keeps the chains of tables that hook forward, and flags the xt ones', () => {
    expect(ruleset.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip filter', 'ip nat', 'ip mangle', 'ip6 filter', 'ip6 nat', 'ip6 mangle']);
    expect(new Set(ruleset.chains.map((c) => `${c.family} ${c.table}`))).toEqual(new Set(['ip filter', 'ip6 filter']));
    expect(ruleset.untranslated).toEqual([{ family: 'ip', name: 'filter' }]);
    const forward = ruleset.chains.find((c) => c.family === 'ip' && c.name === 'FORWARD')!;
    expect(forward).toMatchObject({ source: 'nftables', hook: 'forward', policy: 'drop' });
    expect(forward.rules.map((r) => r.text)).toEqual([
      'jump DOCKER-USER',
      'jump DOCKER-ISOLATION-STAGE-1',
      'oifname "docker0" xt match conntrack accept',
      'oifname "docker0" jump DOCKER',
      'iifname "docker0" oifname != "docker0" accept',
      'iifname "docker0" oifname "docker0" accept',
      'jump LIBVIRT_FWX',
      'jump LIBVIRT_FWI',
      'jump LIBVIRT_FWO',
    ]);
    expect(forward.rules[4]).toMatchObject({ matches: [{ field: 'iifname', negate: false, values: ['docker0'] }, { field: 'oifname', negate: true, values: ['docker0'] }], verdict: 'accept' });
    const fwo = ruleset.chains.find((c) => c.family === 'ip' && c.name === 'LIBVIRT_FWO')!;
    expect(fwo.rules[0]!.matches).toContainEqual({ field: 'saddr', negate: false, values: ['192.168.122.0/24'], family: 'ip' });
    expect(fwo.rules[1]).toMatchObject({ verdict: 'reject', text: 'iifname "virbr0" xt target REJECT' });
  });

  it('finds that Docker’s FORWARD policy drops a bridge it does not know, for certain', () => {
    expect(forwardBlockers(ruleset.chains, outFrom('kvbr0', '10.80.0.0/24'))).toMatchObject([{ base: { name: 'FORWARD' }, certain: true }]);
  });

  it('lets libvirt’s own network out; its replies pass only "maybe" while conntrack hides behind xt', () => {
    expect(forwardBlockers(ruleset.chains, outFrom('virbr0', '192.168.122.0/24'))).toEqual([]);
    expect(forwardBlockers(ruleset.chains, backTo('virbr0', '192.168.122.0/24'))).toMatchObject([{ chain: { name: 'LIBVIRT_FWI' }, certain: false }]);
  });

  it('with iptables-nft-save’s full rules in place of the xt ones, libvirt’s replies pass for certain', () => {
    const full = parseIptablesSave(fixture('docker-libvirt.iptables-nft-save.txt'), { source: 'nftables', family: 'ip' });
    const chains = [...ruleset.chains.filter((c) => !(c.family === 'ip' && c.table === 'filter')), ...full];
    expect(full.find((c) => c.name === 'LIBVIRT_FWI')!.rules[0]!.matches).toContainEqual({ field: 'ctstate', negate: false, values: ['related', 'established'] });
    expect(forwardBlockers(chains, backTo('virbr0', '192.168.122.0/24'))).toEqual([]);
    expect(forwardBlockers(chains, outFrom('kvbr0', '10.80.0.0/24'))).toMatchObject([{ base: { name: 'FORWARD' }, certain: true }]);
  });
});

describe('parseNftRuleset on firewalld 1.3', () => {
  const ruleset = parseNftRuleset(fixture('firewalld.nft.json'));

  it('reads sets, ct status and gotos', () => {
    const forward = ruleset.chains.find((c) => c.name === 'filter_FORWARD')!;
    expect(forward).toMatchObject({ family: 'inet', table: 'firewalld', hook: 'forward', policy: 'accept' });
    expect(forward.rules[0]!.matches).toEqual([{ field: 'ctstate', negate: false, values: ['established', 'related'] }]);
    expect(forward.rules[1]!.matches).toEqual([{ field: 'ctstatus', negate: false, values: ['dnat'] }]);
    expect(forward.rules[4]!.matches[0]).toMatchObject({ field: 'daddr', family: 'ip6', values: expect.arrayContaining(['::/96', '2002::/24']) });
    expect(forward.rules.at(-1)).toMatchObject({ verdict: 'reject', matches: [] });
    expect(ruleset.chains.find((c) => c.name === 'filter_FORWARD_ZONES')!.rules.at(-1)).toMatchObject({ verdict: 'goto', target: 'filter_FWD_public', matches: [] });
    expect(ruleset.untranslated).toEqual([]);
  });

  it('accepts libvirt’s zone, forwards within the default zone, and rejects an unzoned bridge towards another zone', () => {
    expect(forwardBlockers(ruleset.chains, outFrom('virbr0', '192.168.122.0/24'))).toEqual([]);
    expect(forwardBlockers(ruleset.chains, outFrom('kvbr0', '10.80.0.0/24', 'eth0'))).toEqual([]);
    expect(forwardBlockers(ruleset.chains, outFrom('kvbr0', '10.80.0.0/24', 'wlan0'))).toMatchObject([
      { base: { name: 'filter_FORWARD' }, chain: { name: 'filter_FWD_public' }, rule: { text: 'reject' }, certain: true },
    ]);
    expect(forwardBlockers(ruleset.chains, backTo('kvbr0', '10.80.0.0/24', 'wlan0'))).toEqual([]);
  });
});

describe('parseNftRuleset', () => {
  it('rejects output that is not nft JSON, naming what is wrong', () => {
    expect(() => parseNftRuleset('{"tables": []}')).toThrow(/nftables/);
  });

  it('keeps an empty ruleset empty', () => {
    expect(parseNftRuleset('{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}')).toEqual({ tables: [], chains: [], untranslated: [] });
  });
});
