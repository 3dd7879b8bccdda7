import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import { iptablesAcceptRules, kvmnetRuleHandles, libvirtForwardSpecs, libvirtNftAcceptScript } from '../../../main/helper/libvirt-forward-accept';

const forwards = [{ proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.90.0.7', port: { start: 80, end: 80 } } }] as const;
const lv: NetworkSpec = {
  name: 'lv', kind: 'nat', backend: 'libvirt', bridge: 'virbr5', ipv4: { subnet: '10.90.0.0/24', gateway: '10.90.0.1' }, dhcp: null, autostart: true, forwards: [...forwards],
};
const direct: NetworkSpec = { ...lv, name: 'dn', backend: 'direct', bridge: 'kvdn0' };
const bare: NetworkSpec = { ...lv, name: 'bare', bridge: 'virbr6', forwards: undefined };

describe('the accept past libvirt\'s reject', () => {
  it('is for libvirt networks with forwards only', () => {
    expect(libvirtForwardSpecs([direct, bare, lv]).map((s) => s.name)).toEqual(['lv']);
  });

  it('iptables backend: one rule per network in KVMNET_FWD, accepting only DNATed connections into its subnet through its bridge', () => {
    expect(iptablesAcceptRules([lv, direct])).toEqual([
      ['-A', 'KVMNET_FWD', '-o', 'virbr5', '-d', '10.90.0.0/24', '-m', 'conntrack', '--ctstate', 'DNAT', '-m', 'comment', '--comment', 'kvmnet:lv', '-j', 'ACCEPT'],
    ]);
  });

  it('nftables backend (libvirt ≥ 10): KVMNet\'s rules are found by their comment, replaced in one transaction at the top of guest_input', () => {
    const listing = `table ip libvirt_network {
	chain guest_input { # handle 3
		oifname "virbr5" ip daddr 10.90.0.0/24 ct status dnat counter packets 0 bytes 0 accept comment "kvmnet:lv" # handle 21
		oif "virbr5" ip daddr 10.90.0.0/24 ct state established,related counter packets 0 bytes 0 accept # handle 12
		oif "virbr5" counter packets 0 bytes 0 reject # handle 11
	}
}`;
    expect(kvmnetRuleHandles(listing)).toEqual([21]);
    expect(libvirtNftAcceptScript([21], [lv])).toBe(
      'delete rule ip libvirt_network guest_input handle 21\n'
      + 'insert rule ip libvirt_network guest_input oifname "virbr5" ip daddr 10.90.0.0/24 ct status dnat counter accept comment "kvmnet:lv"\n',
    );
    expect(libvirtNftAcceptScript([21], [])).toBe('delete rule ip libvirt_network guest_input handle 21\n');
  });
});
