import { describe, expect, it } from 'vitest';
import { checkForwardPolicyDrop } from '../../../../../main/core/doctor/checks/forward-policy-drop';
import type { FirewallChain } from '../../../../../main/core/doctor/firewall-rules';
import { chain, dropPolicyForward, healthyFacts, m, rule } from '../doctor-facts-fixture';

function withChains(...chains: FirewallChain[]) {
  const facts = healthyFacts();
  facts.firewall.nft = { available: true, tables: [{ family: 'ip', name: 'filter' }], chains };
  return facts;
}

const acceptBridge = (bridge: string) => [
  rule([m('iifname', [bridge])], 'accept'),
  rule([m('oifname', [bridge]), m('ctstate', ['established', 'related'])], 'accept'),
];

describe('forward-policy-drop', () => {
  it('is ok when no forward chain drops anything', () => {
    expect(checkForwardPolicyDrop(healthyFacts())).toMatchObject({ status: 'ok', summary: 'The firewall lets forwarded VM traffic through' });
  });

  it('fails on a forward chain with policy drop, naming it, with accept rules in that chain as the fix', () => {
    const c = checkForwardPolicyDrop(withChains(dropPolicyForward()));
    expect(c.status).toBe('fail');
    expect(c.summary).toBe('The firewall drops the traffic of the network "lab", the libvirt network "default"');
    expect(c.detail).toContain('the drop policy of chain forward in table ip filter');
    expect(c.fix).toMatchObject({
      commands: [
        `nft insert rule ip filter forward iifname '"kvbr0"' accept`,
        `nft insert rule ip filter forward oifname '"kvbr0"' ct state established,related accept`,
        `nft insert rule ip filter forward iifname '"virbr0"' accept`,
        `nft insert rule ip filter forward oifname '"virbr0"' ct state established,related accept`,
      ],
      safe: false,
    });
  });

  it('passes a network whose traffic the dropping chain accepts first, and still fails the other', () => {
    const c = checkForwardPolicyDrop(withChains(dropPolicyForward(acceptBridge('kvbr0'))));
    expect(c.status).toBe('fail');
    expect(c.summary).toBe('The firewall drops the traffic of the libvirt network "default"');
    const both = checkForwardPolicyDrop(withChains(dropPolicyForward([...acceptBridge('kvbr0'), ...acceptBridge('virbr0')])));
    expect(both.status).toBe('ok');
  });

  it('fails on a drop rule aimed at the network’s subnet even when the policy accepts', () => {
    const forward = chain('forward', [rule([m('saddr', ['10.80.0.0/16'], { family: 'ip' })], 'drop')], { hook: 'forward', policy: 'accept' });
    const c = checkForwardPolicyDrop(withChains(forward));
    expect(c.status).toBe('fail');
    expect(c.summary).toBe('The firewall drops the traffic of the network "lab"');
    expect(c.detail).toContain('the rule "saddr 10.80.0.0/16 drop"');
  });

  it('warns when a drop depends on something it cannot tell (a port), saying "may"', () => {
    const forward = chain('forward', [rule([m('iifname', ['kvbr0']), m('other', [])], 'reject')], { hook: 'forward', policy: 'accept' });
    const c = checkForwardPolicyDrop(withChains(forward));
    expect(c.status).toBe('warn');
    expect(c.summary).toBe('The firewall may drop some traffic of the network "lab"');
    expect(c.detail).toContain('may drop packets');
  });

  it('ignores KVMNet’s own table: its drops are what KVMNet means', () => {
    expect(checkForwardPolicyDrop(withChains({ ...dropPolicyForward(), family: 'inet', table: 'kvmnet' })).status).toBe('ok');
  });

  it('puts the accept rules in DOCKER-USER when Docker’s FORWARD drops', () => {
    const forward = chain('FORWARD', [rule([], 'jump', { target: 'DOCKER-USER' })], { hook: 'forward', policy: 'drop' });
    const dockerUser = chain('DOCKER-USER', [rule([], 'return')]);
    const facts = withChains(forward, dockerUser);
    facts.snapshot.links.push({ ...facts.snapshot.links[2]!, name: 'docker0' });
    const c = checkForwardPolicyDrop(facts);
    expect(c.fix!.commands.slice(0, 2)).toEqual([
      'iptables -I DOCKER-USER -i kvbr0 -j ACCEPT',
      'iptables -I DOCKER-USER -o kvbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ]);
    expect(c.fix!.undo).toContain('iptables -D DOCKER-USER -i kvbr0 -j ACCEPT');
    expect(c.detail).toContain('Docker sets the FORWARD policy to drop');
  });

  it('uses iptables-legacy for a legacy FORWARD chain, and firewall-cmd for firewalld', () => {
    const legacy = healthyFacts();
    legacy.firewall.iptablesLegacy = { loadedTables: ['filter'], filter: { available: true, chains: [{ ...chain('FORWARD', [], { hook: 'forward', policy: 'drop' }), source: 'iptables-legacy' }] } };
    expect(checkForwardPolicyDrop(legacy).fix!.commands[0]).toBe('iptables-legacy -I FORWARD -i kvbr0 -j ACCEPT');

    const firewalld = withChains(chain('filter_FORWARD', [rule([], 'reject')], { family: 'inet', table: 'firewalld', hook: 'forward', policy: 'accept' }));
    expect(checkForwardPolicyDrop(firewalld).fix!.commands[0]).toBe('firewall-cmd --zone=trusted --add-interface=kvbr0');
  });

  it('warns when the firewall could not be read (not root)', () => {
    const facts = healthyFacts();
    facts.firewall.nft = { available: false, reason: 'reading the firewall needs root: run sudo kvmnet doctor' };
    expect(checkForwardPolicyDrop(facts)).toMatchObject({ status: 'warn', summary: 'The firewall could not be read' });
  });

  it('is ok with nothing to check when no NAT or routed network runs', () => {
    const facts = withChains(dropPolicyForward());
    facts.libvirt.networks = [];
    facts.records = [];
    expect(checkForwardPolicyDrop(facts)).toMatchObject({ status: 'ok', summary: 'No running NAT or routed network to check' });
  });
});
