import { describe, expect, it } from 'vitest';
import { checkBrNetfilter } from '../../../../../main/core/doctor/checks/br-netfilter';
import { dropPolicyForward, healthyFacts, link, m, rule } from '../doctor-facts-fixture';

function bridgedThroughFirewall() {
  const facts = healthyFacts();
  facts.sysctls = { ipForward: '1', bridgeNfCallIptables: '1', bridgeNfCallIp6tables: '0', bridgeNfCallArptables: '0' };
  return facts;
}

describe('br-netfilter', () => {
  it('is ok when br_netfilter is not loaded (its sysctl files are missing)', () => {
    expect(checkBrNetfilter(healthyFacts())).toMatchObject({ status: 'ok', summary: 'br_netfilter is not loaded' });
  });

  it('is ok when it is loaded but switched off for iptables', () => {
    const facts = bridgedThroughFirewall();
    facts.sysctls.bridgeNfCallIptables = '0';
    facts.firewall.nft = { available: true, tables: [], chains: [dropPolicyForward()] };
    expect(checkBrNetfilter(facts)).toMatchObject({ status: 'ok', summary: 'Bridged traffic skips the IP firewall' });
  });

  it('is ok when bridged traffic goes through a firewall that drops nothing', () => {
    expect(checkBrNetfilter(bridgedThroughFirewall())).toMatchObject({ status: 'ok', summary: 'Bridged VM traffic passes the firewall' });
  });

  it('fails when a forward chain drops what bridges pass, with the sysctl as a fix that is not safe', () => {
    const facts = bridgedThroughFirewall();
    facts.firewall.nft = { available: true, tables: [], chains: [dropPolicyForward()] };
    const c = checkBrNetfilter(facts);
    expect(c).toMatchObject({
      status: 'fail',
      summary: 'The firewall drops traffic between VMs on kvbr0',
      fix: { commands: ['sysctl -w net.bridge.bridge-nf-call-iptables=0'], safe: false, undo: 'Turn it on again: sysctl -w net.bridge.bridge-nf-call-iptables=1' },
    });
  });

  it('looks at bridges with taps too, and passes a bridge the chain accepts (the IP hooks see the bridge, never its ports)', () => {
    const facts = bridgedThroughFirewall();
    facts.libvirt.networks = [];
    facts.records = [];
    facts.snapshot.links.push(link('br-qemu', 'bridge'), link('tap9', 'tap', [], { master: 'br-qemu' }));
    facts.firewall.nft = { available: true, tables: [], chains: [dropPolicyForward([rule([m('iifname', ['vnet*', 'kvtap*'])], 'accept'), rule([m('iifname', ['kvbr0', 'virbr0']), m('oifname', ['kvbr0', 'virbr0'])], 'accept')])] };
    expect(checkBrNetfilter(facts)).toMatchObject({ status: 'fail', summary: 'The firewall drops traffic between VMs on br-qemu' });
  });

  it('warns when the firewall could not be read', () => {
    const facts = bridgedThroughFirewall();
    facts.firewall.nft = { available: false, reason: 'reading the firewall needs root' };
    expect(checkBrNetfilter(facts).status).toBe('warn');
  });
});
