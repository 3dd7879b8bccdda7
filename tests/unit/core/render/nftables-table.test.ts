import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { renderNftablesCreateScript, renderNftablesScript, renderNftablesTable } from '../../../../main/core/render/nftables-table';

const nat: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
};
const hostonly: NetworkSpec = {
  name: 'ho', kind: 'hostonly', backend: 'direct', bridge: 'kvho0',
  ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.1' }, dhcp: null, autostart: true,
  ipv6: { subnet: 'fd81::/64', gateway: 'fd81::1', dhcp: { start: 'fd81::100', end: 'fd81::1ff' } },
};
const routed: NetworkSpec = {
  name: 'rt', kind: 'routed', backend: 'direct', bridge: 'kvrt0', uplink: 'eth0',
  ipv4: { subnet: '10.82.0.0/24', gateway: '10.82.0.1' }, dhcp: null, autostart: true,
  ipv6: { subnet: 'fd82::/64', gateway: 'fd82::1', dhcp: null },
};
const isolated: NetworkSpec = { name: 'iso', kind: 'isolated', backend: 'direct', bridge: 'kviso0', ipv4: null, dhcp: null, autostart: true };

describe('renderNftablesTable', () => {
  it('renders a NAT network: DHCP and DNS in, its subnet out and answers back, masquerade leaving by any other interface', () => {
    expect(renderNftablesTable([nat])).toBe(`table inet kvmnet {
	chain input {
		type filter hook input priority filter; policy accept;
		iifname "kvbr0" udp dport 67 accept comment "kvmnet:lab"
		iifname "kvbr0" meta l4proto { tcp, udp } th dport 53 accept comment "kvmnet:lab"
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "kvbr0" oifname "kvbr0" accept comment "kvmnet:lab"
		oifname "kvbr0" ip daddr 10.80.0.0/24 ct state established,related accept comment "kvmnet:lab"
		oifname "kvbr0" drop comment "kvmnet:lab"
		iifname "kvbr0" ip saddr 10.80.0.0/24 accept comment "kvmnet:lab"
		iifname "kvbr0" drop comment "kvmnet:lab"
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 10.80.0.0/24 ip daddr 224.0.0.0/24 return comment "kvmnet:lab"
		ip saddr 10.80.0.0/24 ip daddr 255.255.255.255 return comment "kvmnet:lab"
		ip saddr 10.80.0.0/24 ip daddr != 10.80.0.0/24 oifname != "kvbr0" meta l4proto { tcp, udp } masquerade to :1024-65535 comment "kvmnet:lab"
		ip saddr 10.80.0.0/24 ip daddr != 10.80.0.0/24 oifname != "kvbr0" masquerade comment "kvmnet:lab"
	}
}
`);
  });

  it('with an uplink, a NAT network goes out and is masqueraded through that interface only', () => {
    const table = renderNftablesTable([{ ...nat, uplink: 'wlan0' }])!;
    expect(table).toContain('iifname "kvbr0" oifname "wlan0" ip saddr 10.80.0.0/24 accept');
    expect(table).toContain('ip saddr 10.80.0.0/24 ip daddr != 10.80.0.0/24 oifname "wlan0" masquerade comment');
    expect(table).not.toContain('oifname != "kvbr0"');
  });

  it('masquerades the IPv6 of a NAT network too, as libvirt\'s <nat ipv6="yes"> does', () => {
    const table = renderNftablesTable([{ ...nat, ipv6: { subnet: 'fd80::/64', gateway: 'fd80::1', dhcp: null } }])!;
    expect(table).toContain('ip6 saddr fd80::/64 ip6 daddr != fd80::/64 oifname != "kvbr0" masquerade comment "kvmnet:lab"');
    expect(table).toContain('oifname "kvbr0" ip6 daddr fd80::/64 ct state established,related accept');
  });

  it('routes a routed network both ways through its uplink, without translating addresses', () => {
    const table = renderNftablesTable([routed])!;
    expect(table).toContain('iifname "eth0" oifname "kvrt0" ip daddr 10.82.0.0/24 accept');
    expect(table).toContain('iifname "eth0" oifname "kvrt0" ip6 daddr fd82::/64 accept');
    expect(table).toContain('iifname "kvrt0" oifname "eth0" ip saddr 10.82.0.0/24 accept');
    expect(table).not.toContain('postrouting');
    expect(table).not.toContain('udp dport 67');
  });

  it('forwards nothing for a host-only network; DHCPv6 and DNS are let in', () => {
    const table = renderNftablesTable([hostonly])!;
    expect(table.match(/^\t\t.*$/gm)!.filter((l) => !l.includes('hook'))).toEqual([
      '\t\tiifname "kvho0" udp dport 547 accept comment "kvmnet:ho"',
      '\t\tiifname "kvho0" meta l4proto { tcp, udp } th dport 53 accept comment "kvmnet:ho"',
      '\t\tiifname "kvho0" oifname "kvho0" accept comment "kvmnet:ho"',
      '\t\toifname "kvho0" drop comment "kvmnet:ho"',
      '\t\tiifname "kvho0" drop comment "kvmnet:ho"',
    ]);
  });

  it('drops what an isolated network\'s guests send to the host as well', () => {
    const table = renderNftablesTable([isolated])!;
    expect(table).toContain('chain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tiifname "kviso0" drop comment "kvmnet:iso"\n\t}');
    expect(table).toContain('oifname "kviso0" drop');
  });

  it('judges traffic into every bridge before letting any out, so one network\'s guests cannot reach another\'s', () => {
    const rules = renderNftablesTable([nat, hostonly])!.split('\n').filter((l) => l.includes('comment'));
    const forward = rules.filter((l) => !l.includes('dport') && !l.includes('masquerade') && !l.includes(' return '));
    const firstOutbound = forward.findIndex((l) => /^\t\tiifname "kv\w+0" (ip saddr|drop)/.test(l));
    const lastInbound = forward.map((l) => l.trim().startsWith('oifname')).lastIndexOf(true);
    expect(lastInbound).toBeLessThan(firstOutbound);
  });

  it('renders the same text for the same set in any order, and nothing for no network', () => {
    expect(renderNftablesTable([hostonly, nat, routed])).toBe(renderNftablesTable([routed, nat, hostonly]));
    expect(renderNftablesTable([])).toBeUndefined();
  });

  it('refuses two networks on one bridge, a network twice, and a spec that is not one', () => {
    expect(() => renderNftablesTable([nat, { ...hostonly, bridge: 'kvbr0' }])).toThrow(/both use the bridge kvbr0/);
    expect(() => renderNftablesTable([nat, nat])).toThrow(/appears twice/);
    expect(() => renderNftablesTable([{ ...nat, bridge: 'kv"; flush ruleset' } as NetworkSpec])).toThrow();
  });
});

describe('renderNftablesScript', () => {
  it('replaces only KVMNet\'s table in one transaction: declare it, delete it, write it whole', () => {
    expect(renderNftablesScript([nat])).toBe(`table inet kvmnet {}\ndelete table inet kvmnet\n${renderNftablesTable([nat])}`);
  });

  it('with no network left, only removes the table', () => {
    expect(renderNftablesScript([])).toBe('table inet kvmnet {}\ndelete table inet kvmnet\n');
  });

  it('names no other table, chain family or ruleset-wide command', () => {
    const script = renderNftablesScript([nat, hostonly, routed, isolated]);
    expect(script.match(/\btable \w+ \w+/g)!.every((t) => t === 'table inet kvmnet')).toBe(true);
    expect(script).not.toMatch(/flush|ruleset|list/);
  });
});

describe('renderNftablesCreateScript', () => {
  it('creates the table whole with `create table`, which fails the transaction when the table exists', () => {
    expect(renderNftablesCreateScript([nat])).toBe(`create table inet kvmnet\n${renderNftablesTable([nat])}`);
    expect(renderNftablesCreateScript([nat])).not.toMatch(/delete|flush|ruleset/);
  });

  it('has nothing to create for no network', () => {
    expect(() => renderNftablesCreateScript([])).toThrow(/no table to create/);
  });
});
