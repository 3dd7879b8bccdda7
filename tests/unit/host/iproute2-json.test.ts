import { describe, expect, it } from 'vitest';
import { IpLinkEntry, IpRouteEntry, parseIpJson } from '../../../main/host/iproute2-json';
import { hostFixture } from '../../fixtures/host/fixture';

describe('parseIpJson', () => {
  it('reads every entry of a real ip -j -d -s addr dump', () => {
    const entries = parseIpJson(IpLinkEntry, hostFixture('lab/ip-d-s-addr.json'), 'ip addr');
    expect(entries.map((e) => e.ifname)).toEqual([
      'lo', 'kvbr0', 'kvtap0', 'kvtap1', 'kvtun0', 'kvveth1', 'kvveth0', 'kvmacvlan0', 'kvmacvtap0', 'kvvx0', 'kvvethA', 'virbr7', 'kvbr9', 'virbr9',
    ]);
  });

  it('reads route entries, including ones without a device', () => {
    const routes = parseIpJson(IpRouteEntry, hostFixture('lab/ip-route-inet.json'), 'ip route');
    expect(routes.find((r) => r.type === 'unreachable')).toMatchObject({ dst: '203.0.113.0/24' });
  });

  it('names the command when the output is not JSON', () => {
    expect(() => parseIpJson(IpLinkEntry, 'Usage: ip', 'ip -j addr show')).toThrow(/`ip -j addr show` did not print JSON/);
  });

  it('names the command when the JSON has another shape', () => {
    expect(() => parseIpJson(IpLinkEntry, '[{"ifname": 3}]', 'ip -j addr show')).toThrow(/`ip -j addr show` printed JSON of an unexpected shape/);
  });
});
