import { describe, expect, it } from 'vitest';
import { parseTerseProperties, splitTerseFields } from '../../../../main/host/network-manager/terse-output';
import { nmFixture } from '../../../fixtures/nm/fixture';

describe('splitTerseFields', () => {
  it('splits on unescaped colons and unescapes \\: and \\\\', () => {
    const line = nmFixture('device-list.txt').split('\n')[0]!;
    expect(line).toBe('eth0:ethernet:connected:Wired\\: office \\\\ 2');
    expect(splitTerseFields(line)).toEqual(['eth0', 'ethernet', 'connected', 'Wired: office \\ 2']);
  });

  it('keeps empty trailing fields', () => {
    expect(splitTerseFields('kvpeer0:ethernet:unmanaged:')).toEqual(['kvpeer0', 'ethernet', 'unmanaged', '']);
  });
});

describe('parseTerseProperties', () => {
  const p = parseTerseProperties(nmFixture('connection-show-static-active.txt'));

  it('reads raw values, colons included, up to the first colon of the line', () => {
    expect(p.one('802-3-ethernet.cloned-mac-address')).toBe('02:00:00:00:AA:01');
    expect(p.one('ipv6.gateway')).toBe('2001:db8:1::1');
  });

  it('collects indexed fields in order and drops empty ones', () => {
    expect(p.all('IP4.ADDRESS')).toEqual(['203.0.113.51/24', '203.0.113.50/24']);
    expect(p.all('IP4.DNS')).toEqual(['203.0.113.1', '198.51.100.53']);
  });

  it('treats empty and absent values alike', () => {
    expect(p.one('connection.master')).toBeUndefined();
    expect(p.one('no.such-field')).toBeUndefined();
    expect(p.all('no.such-field')).toEqual([]);
  });
});
