import { describe, expect, it } from 'vitest';
import type { UplinkAddressing } from '../../../main/core/bridge-to-lan/uplink-addressing';
import type { LinkMap } from '../../../main/helper/link-facts';
import { placementLines, readAddressing } from '../../../main/helper/uplink-placement';
import { FakeHostIo } from './fake-host-io';
import { fact, host } from './link-fixtures';

const addressing: UplinkAddressing = {
  uplink: 'eth0', mac: '02:00:00:00:00:10', mtu: 1500,
  addresses: [{ cidr: '203.0.113.120/24', validLft: 3500, preferredLft: 3500 }, { cidr: '2001:db8:1::50/64', validLft: 'forever', preferredLft: 'forever' }],
  routes: [{ family: 'inet', dst: 'default', gateway: '203.0.113.1', metric: 100, protocol: 'dhcp' }],
};
const eth0 = fact('eth0', { kind: 'other', alias: undefined, up: true, mac: '02:00:00:00:00:10', addresses: [{ family: 'inet', cidr: '203.0.113.120/24', scope: 'global' }, { family: 'inet6', cidr: '2001:db8:1::50/64', scope: 'global' }] });

class LinksIo extends FakeHostIo {
  constructor(private readonly links: LinkMap, answer?: ConstructorParameters<typeof FakeHostIo>[0]) {
    super(answer);
  }

  override readLinks(): Promise<LinkMap> { return Promise.resolve(this.links); }
}

describe('placementLines', () => {
  it('onto a new bridge: the bridge with the NIC’s MAC first, the addresses off the NIC before they go on the bridge, routes last', async () => {
    const lines = await placementLines(new LinksIo(host(eth0)), { network: 'lan', bridge: 'br0', on: 'bridge', addressing });
    expect(lines).toEqual([
      'link add name br0 address 02:00:00:00:00:10 type bridge forward_delay 0 stp_state 0',
      'link set dev br0 alias kvmnet:lan',
      'link set dev br0 mtu 1500',
      'link set dev eth0 master br0',
      'address del 203.0.113.120/24 dev eth0',
      'address del 2001:db8:1::50/64 dev eth0',
      'link set dev eth0 up',
      'link set dev br0 up',
      'address replace 203.0.113.120/24 dev br0 valid_lft 3500 preferred_lft 3500',
      'address replace 2001:db8:1::50/64 dev br0 nodad',
      'route replace 0.0.0.0/0 via 203.0.113.1 dev br0 metric 100 proto dhcp',
    ]);
  });

  it('back onto the NIC: the NIC leaves the bridge, the bridge goes, then addresses and routes come back', async () => {
    const br0 = fact('br0', { alias: 'kvmnet:lan', up: true, mac: '02:00:00:00:00:10', addresses: eth0.addresses });
    const port = { ...eth0, addresses: [], master: 'br0' };
    const lines = await placementLines(new LinksIo(host(port, br0)), { network: 'lan', bridge: 'br0', on: 'uplink', addressing });
    expect(lines.slice(0, 4)).toEqual([
      'link set dev eth0 nomaster',
      'address del 203.0.113.120/24 dev br0',
      'address del 2001:db8:1::50/64 dev br0',
      'link delete dev br0',
    ]);
    expect(lines.at(-1)).toBe('route replace 0.0.0.0/0 via 203.0.113.1 dev eth0 metric 100 proto dhcp');
  });

  it('replayed after it already holds, changes nothing that is in place (no second bridge, no deletes)', async () => {
    const br0 = fact('br0', { alias: 'kvmnet:lan', up: true, mac: '02:00:00:00:00:10', addresses: eth0.addresses });
    const lines = await placementLines(new LinksIo(host({ ...eth0, addresses: [], master: 'br0' }, br0)), { network: 'lan', bridge: 'br0', on: 'bridge', addressing });
    expect(lines.some((l) => l.startsWith('link add') || l.startsWith('address del') || l.includes('master'))).toBe(false);
  });

  it('refuses a bridge of that name that is not this network’s', async () => {
    const foreign = fact('br0', { alias: undefined });
    await expect(placementLines(new LinksIo(host(eth0, foreign)), { network: 'lan', bridge: 'br0', on: 'bridge', addressing })).rejects.toThrow(/not the bridge of KVMNet network lan/);
  });
});

describe('readAddressing', () => {
  it('keeps global addresses with their lease lifetimes and the routes the kernel did not make', async () => {
    const io = new FakeHostIo(({ args }) => {
      if (args.includes('addr')) return { stdout: JSON.stringify([{ ifname: 'eth0', address: '02:00:00:00:00:10', mtu: 1500, addr_info: [
        { family: 'inet', local: '203.0.113.120', prefixlen: 24, scope: 'global', valid_life_time: 3500, preferred_life_time: 3500 },
        { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      ] }]) };
      if (args.includes('-4')) return { stdout: JSON.stringify([
        { dst: 'default', gateway: '203.0.113.1', protocol: 'dhcp', metric: 100, flags: [] },
        { dst: '203.0.113.0/24', protocol: 'kernel', scope: 'link', prefsrc: '203.0.113.120', flags: [] },
        { dst: '198.51.100.7', gateway: '203.0.113.254', protocol: 'static', flags: [] },
      ]) };
      return { stdout: JSON.stringify([{ dst: 'fe80::/64', protocol: 'kernel', metric: 256, flags: [] }]) };
    });
    expect(await readAddressing(io, 'eth0', 'eth0')).toEqual({
      uplink: 'eth0', mac: '02:00:00:00:00:10', mtu: 1500,
      addresses: [{ cidr: '203.0.113.120/24', validLft: 3500, preferredLft: 3500 }],
      routes: [
        { family: 'inet', dst: 'default', gateway: '203.0.113.1', metric: 100, protocol: 'dhcp' },
        { family: 'inet', dst: '198.51.100.7/32', gateway: '203.0.113.254', protocol: 'static' },
      ],
    });
  });
});
