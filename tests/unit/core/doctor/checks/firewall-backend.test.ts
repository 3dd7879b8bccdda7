import { describe, expect, it } from 'vitest';
import { checkFirewallBackend } from '../../../../../main/core/doctor/checks/firewall-backend';
import { chain, healthyFacts, rule } from '../doctor-facts-fixture';

describe('firewall-backend', () => {
  it('is ok when the tools fit, describing what is in use', () => {
    expect(checkFirewallBackend(healthyFacts())).toMatchObject({
      status: 'ok',
      detail: "libvirt's firewall backend: its default; nftables installed; iptables uses nf_tables. Nothing conflicts.",
    });
  });

  it('fails when libvirt is set to a backend whose tool is missing', () => {
    const facts = healthyFacts();
    facts.libvirt.firewallBackend = 'iptables';
    facts.firewall.tools = { nft: true, iptables: false, iptablesVariant: null };
    expect(checkFirewallBackend(facts)).toMatchObject({ status: 'fail', summary: 'libvirt is set to use iptables, which is not installed' });
    facts.libvirt.firewallBackend = 'nftables';
    facts.firewall.tools = { nft: false, iptables: true, iptablesVariant: 'legacy' };
    expect(checkFirewallBackend(facts)).toMatchObject({ status: 'fail', summary: 'libvirt is set to use nftables, which is not installed' });
  });

  it('warns when legacy iptables rules filter forwarding beside nftables', () => {
    const facts = healthyFacts();
    facts.firewall.iptablesLegacy = { loadedTables: ['filter'], filter: { available: true, chains: [{ ...chain('FORWARD', [rule([], 'jump', { target: 'DOCKER-USER' })], { hook: 'forward', policy: 'drop' }), source: 'iptables-legacy' }] } };
    expect(checkFirewallBackend(facts)).toMatchObject({ status: 'warn', summary: 'Two firewalls are active: nftables and iptables-legacy' });
    // an empty legacy table someone merely listed is no second firewall
    facts.firewall.iptablesLegacy.filter = { available: true, chains: [{ ...chain('FORWARD', [], { hook: 'forward', policy: 'accept' }), source: 'iptables-legacy' }] };
    expect(checkFirewallBackend(facts).status).toBe('ok');
  });

  it('fails when firewalld runs without libvirt’s zone while a libvirt network runs', () => {
    const facts = healthyFacts();
    facts.firewall.firewalld = { running: true, zones: ['public', 'trusted'], interfaceZones: { eth0: 'public', kvbr0: 'trusted' } };
    facts.libvirt.firewalldZoneInstalled = false;
    expect(checkFirewallBackend(facts)).toMatchObject({ status: 'fail', summary: 'firewalld has no "libvirt" zone' });
  });

  it('warns about a KVMNet bridge firewalld has in no zone, offering the trusted zone', () => {
    const facts = healthyFacts();
    facts.firewall.firewalld = { running: true, zones: ['public', 'libvirt', 'trusted'], interfaceZones: { eth0: 'public', virbr0: 'libvirt' } };
    expect(checkFirewallBackend(facts)).toMatchObject({
      status: 'warn',
      summary: 'firewalld treats kvbr0 like any other interface',
      fix: { commands: ['firewall-cmd --zone=trusted --add-interface=kvbr0'], safe: false, undo: 'Take it out again: firewall-cmd --zone=trusted --remove-interface=kvbr0' },
    });
  });
});
