import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { renderNftablesTable } from '../../../../main/core/render/nftables-table';

const base = {
  kind: 'nat', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
} as const;
const web = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.80.0.5', port: { start: 80, end: 80 } } } as const;
const direct: NetworkSpec = { ...base, name: 'lab', backend: 'direct', bridge: 'kvbr0', forwards: [web] };
const libvirt: NetworkSpec = { ...base, name: 'lv', backend: 'libvirt', bridge: 'virbr5', ipv4: { subnet: '10.90.0.0/24', gateway: '10.90.0.1' }, dhcp: null, forwards: [{ ...web, hostPort: { start: 9000, end: 9000 }, to: { ip: '10.90.0.7', port: { start: 22, end: 22 } } }] };

const chainOf = (table: string, name: string): string[] => {
  const start = table.indexOf(`\tchain ${name} {`);
  if (start < 0) return [];
  return table.slice(start, table.indexOf('\t}', start)).split('\n').slice(2).map((l) => l.trim()).filter(Boolean);
};

describe('renderNftablesTable: port forwards', () => {
  it('DNATs on prerouting and output, only for the host\'s own addresses, and lets the DNATed connection past the network\'s inbound drop', () => {
    const table = renderNftablesTable([direct])!;
    expect(chainOf(table, 'prerouting')).toEqual(['fib daddr type local meta nfproto ipv4 tcp dport 8080 dnat ip to 10.80.0.5:80 comment "kvmnet:lab"']);
    // the host's own connections, except to loopback (the kernel does not route loopback to guests)
    expect(chainOf(table, 'output')).toEqual(['fib daddr type local meta nfproto ipv4 ip daddr != 127.0.0.0/8 tcp dport 8080 dnat ip to 10.80.0.5:80 comment "kvmnet:lab"']);
    const forward = chainOf(table, 'forward');
    const accept = forward.indexOf('oifname "kvbr0" ip daddr 10.80.0.0/24 ct status dnat accept comment "kvmnet:lab"');
    expect(accept).toBeGreaterThan(-1);
    expect(accept).toBeLessThan(forward.indexOf('oifname "kvbr0" drop comment "kvmnet:lab"'));
    expect(table).toContain('type nat hook prerouting priority dstnat; policy accept;');
    expect(table).toContain('type nat hook output priority -100; policy accept;');
  });

  it('maps a shifted port range port by port, keeps an unshifted range whole, and matches one host address when given', () => {
    const spec: NetworkSpec = {
      ...direct,
      forwards: [
        { proto: 'udp', hostPort: { start: 5000, end: 5002 }, to: { ip: '10.80.0.6', port: { start: 6000, end: 6002 } } },
        { proto: 'tcp', hostPort: { start: 7000, end: 7010 }, to: { ip: '10.80.0.7', port: { start: 7000, end: 7010 } }, hostIp: '192.168.1.23' },
      ],
    };
    expect(chainOf(renderNftablesTable([spec])!, 'prerouting')).toEqual([
      'fib daddr type local meta nfproto ipv4 udp dport 5000-5002 dnat ip to udp dport map { 5000 : 10.80.0.6 . 6000, 5001 : 10.80.0.6 . 6001, 5002 : 10.80.0.6 . 6002 } comment "kvmnet:lab"',
      'ip daddr 192.168.1.23 tcp dport 7000-7010 dnat ip to 10.80.0.7 comment "kvmnet:lab"',
    ]);
  });

  it('a libvirt network contributes its DNAT (and the hairpin masquerade) only: libvirt filters its own bridge', () => {
    const table = renderNftablesTable([libvirt])!;
    expect(chainOf(table, 'prerouting')).toEqual(['fib daddr type local meta nfproto ipv4 tcp dport 9000 dnat ip to 10.90.0.7:22 comment "kvmnet:lv"']);
    expect(chainOf(table, 'forward')).toEqual([]);
    expect(chainOf(table, 'input')).toEqual([]);
    expect(chainOf(table, 'postrouting')).toEqual(['oifname "virbr5" ip saddr 10.90.0.0/24 ip daddr 10.90.0.0/24 ct status dnat masquerade comment "kvmnet:lv"']);
  });

  it('masquerades a guest\'s forwarded connection to a guest of its own network, so the answer comes back through the host', () => {
    expect(chainOf(renderNftablesTable([direct])!, 'postrouting')[0]).toBe('oifname "kvbr0" ip saddr 10.80.0.0/24 ip daddr 10.80.0.0/24 ct status dnat masquerade comment "kvmnet:lab"');
  });

  it('a network without forwards gets no nat chains for them', () => {
    const { forwards: _none, ...plain } = direct;
    const table = renderNftablesTable([plain])!;
    expect(table).not.toMatch(/prerouting|chain output|ct status dnat/);
  });
});
