import { describe, expect, it } from 'vitest';
import { cidrText } from '../../../../main/core/network/cidr';
import { occupiedRanges } from '../../../../main/core/network/occupied-ranges';
import { laptopContext } from './host-fixture';

const summary = (network: string) =>
  occupiedRanges(laptopContext(), network).map((o) => `${cidrText(o.cidr)} | ${o.what}`);

describe('occupiedRanges', () => {
  it('lists routes, then addresses, then other networks, without default routes or link-local addresses', () => {
    expect(summary('dev')).toEqual([
      '192.168.1.0/24 | the host route 192.168.1.0/24 on eth0',
      '10.0.5.0/24 | the host route 10.0.5.0/24 on wlan0',
      '172.17.0.0/16 | the host route 172.17.0.0/16 on docker0',
      '192.168.122.0/24 | the host route 192.168.122.0/24 on virbr0',
      '10.80.0.0/24 | the host route 10.80.0.0/24 on kv-lab',
      '2001:db8:1::/64 | the host route 2001:db8:1::/64 on eth0',
      'fe80::/64 | the host route fe80::/64 on eth0',
      '127.0.0.0/8 | the address 127.0.0.1/8 on lo',
      '::1/128 | the address ::1/128 on lo',
      '192.168.1.0/24 | the address 192.168.1.23/24 on eth0',
      '2001:db8:1::/64 | the address 2001:db8:1::23/64 on eth0',
      '10.0.5.0/24 | the address 10.0.5.7/24 on wlan0',
      '172.17.0.0/16 | the address 172.17.0.1/16 on docker0',
      '192.168.122.0/24 | the address 192.168.122.1/24 on virbr0',
      '10.80.0.0/24 | the address 10.80.0.1/24 on kv-lab',
      '192.168.122.0/24 | the subnet 192.168.122.0/24 of the libvirt network "default"',
      '10.80.0.0/24 | the subnet 10.80.0.0/24 of the network "lab"',
    ]);
  });

  it("leaves out the network's own links, routes and record", () => {
    const own = summary('lab');
    expect(own.filter((s) => s.includes('kv-lab') || s.includes('"lab"'))).toEqual([]);
    expect(own).toHaveLength(summary('dev').length - 3);
  });

  it('reads host routes written as a bare address and skips the local table', () => {
    const c = laptopContext();
    c.snapshot.routes = [
      { family: 'inet', dst: '203.0.113.7', gateway: '192.168.1.1' },
      { family: 'inet', dst: '10.9.0.0/16', table: 'local', dev: 'eth0' },
    ];
    c.snapshot.links = [];
    c.existing = [];
    expect(occupiedRanges(c, 'dev').map((o) => `${cidrText(o.cidr)} | ${o.what}`)).toEqual([
      '203.0.113.7/32 | the host route 203.0.113.7/32 via 192.168.1.1',
    ]);
  });
});
