import { describe, expect, it } from 'vitest';
import { Route } from '../../../main/core/host-snapshot';
import { IpRouteEntry, parseIpJson } from '../../../main/host/iproute2-json';
import { parseRoutes } from '../../../main/host/parse-routes';
import { hostFixture } from '../../fixtures/host/fixture';

const inet = parseRoutes(parseIpJson(IpRouteEntry, hostFixture('lab/ip-route-inet.json'), 'ip'), 'inet');
const inet6 = parseRoutes(parseIpJson(IpRouteEntry, hostFixture('lab/ip-route-inet6.json'), 'ip'), 'inet6');

describe('parseRoutes', () => {
  it('produces routes the snapshot schema accepts', () => {
    for (const route of [...inet, ...inet6]) expect(Route.parse(route)).toEqual(route);
  });

  it('reads IPv4 default, kernel, static and metric routes', () => {
    expect(inet).toEqual(expect.arrayContaining([
      { family: 'inet', dst: 'default', gateway: '10.78.0.2', dev: 'kvveth0' },
      { family: 'inet', dst: '10.77.0.0/24', dev: 'kvbr0', protocol: 'kernel', scope: 'link' },
      { family: 'inet', dst: '198.51.100.0/24', gateway: '10.78.0.2', dev: 'kvveth0', metric: 50 },
      { family: 'inet', dst: '192.0.2.0/24', gateway: '10.78.0.2', dev: 'kvveth0', protocol: 'static' },
      { family: 'inet', dst: '203.0.113.0/24' },
    ]));
  });

  it('reads IPv6 routes with the family the caller asked for', () => {
    expect(inet6).toEqual(expect.arrayContaining([
      { family: 'inet6', dst: 'default', gateway: 'fd00:77::fe', dev: 'kvbr0', metric: 1024 },
      { family: 'inet6', dst: 'fd00:77::/64', dev: 'kvbr0', protocol: 'kernel', metric: 256 },
    ]));
    expect(inet6.every((r) => r.family === 'inet6')).toBe(true);
  });

  it('keeps protocol and table numbers that have no name as text', () => {
    const [route] = parseRoutes([IpRouteEntry.parse({ dst: '10.9.0.0/16', dev: 'wg0', protocol: 4, table: 51820 })], 'inet');
    expect(route).toEqual({ family: 'inet', dst: '10.9.0.0/16', dev: 'wg0', protocol: '4', table: '51820' });
  });
});
