import { describe, expect, it } from 'vitest';
import { recordPath } from '../../../main/core/paths';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import type { Plan } from '../../../main/helper/protocol';
import { readProxyArpUplinks } from '../../../main/helper/proxy-arp-uplinks';

const wifi: NetworkSpec = {
  name: 'wifi', kind: 'routed', backend: 'direct', bridge: 'kv-wifi', uplink: 'wlan0', proxyArp: true,
  ipv4: { subnet: '10.0.5.240/28', gateway: '10.0.5.241' }, dhcp: null, autostart: true,
};
const plain: NetworkSpec = { ...wifi, name: 'plain', bridge: 'kv-plain', uplink: 'eth0', proxyArp: undefined, ipv4: { subnet: '10.80.1.0/24', gateway: '10.80.1.1' } };

const files = (entries: Record<string, string>) => ({ readText: async (path: string) => entries[path] });

describe('readProxyArpUplinks: the foreign links whose proxy_arp a plan may set', () => {
  it('are the uplinks of the proxy-ARP specs the plan carries, and none of a plain routed network', async () => {
    const plan: Plan = { steps: [{ op: 'nft.network', network: 'wifi', spec: wifi }, { op: 'nft.network', network: 'plain', spec: plain }] };
    expect([...await readProxyArpUplinks(plan, files({}))]).toEqual(['wlan0']);
    const record: Plan = { steps: [{ op: 'record.write', record: { version: 1, spec: wifi } }] };
    expect([...await readProxyArpUplinks(record, files({}))]).toEqual(['wlan0']);
  });

  it("include the uplink recorded for a network the plan deletes, read before anything runs; a plan naming nothing gets nothing", async () => {
    const plan: Plan = { steps: [{ op: 'record.delete', network: 'wifi' }, { op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '0' }] };
    expect([...await readProxyArpUplinks(plan, files({ [recordPath('wifi')]: JSON.stringify({ version: 1, spec: wifi }) }))]).toEqual(['wlan0']);
    expect([...await readProxyArpUplinks(plan, files({}))]).toEqual([]);
    expect([...await readProxyArpUplinks(plan, files({ [recordPath('wifi')]: 'not json' }))]).toEqual([]);
    expect([...await readProxyArpUplinks(plan, files({ [recordPath('wifi')]: JSON.stringify({ version: 1, spec: plain }) }))]).toEqual([]);
  });

  it('allow a plan of proxy_arp switches alone on the uplinks that the records of existing proxy-ARP networks name, and on no other', async () => {
    const records = files({ [recordPath('wifi')]: JSON.stringify({ version: 1, spec: wifi }), [recordPath('plain')]: JSON.stringify({ version: 1, spec: plain }) });
    const names = async () => ['wifi', 'plain'];
    const fix: Plan = { description: 'doctor: fix proxy-arp', steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '1' }] };
    expect([...await readProxyArpUplinks(fix, records, names)]).toEqual(['wlan0']);
    expect([...await readProxyArpUplinks({ steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '0' }] }, records, names)]).toEqual(['wlan0']);
    // eth0 is the uplink of a routed network without proxy ARP; wlan1 of no network
    for (const uplink of ['eth0', 'wlan1']) {
      expect([...await readProxyArpUplinks({ steps: [{ op: 'sysctl.set', key: `net.ipv4.conf.${uplink}.proxy_arp`, value: '1' }] }, records, names)]).toEqual([]);
    }
    // without a record there is no network to fix
    expect([...await readProxyArpUplinks(fix, files({}), async () => [])]).toEqual([]);
  });

  it('do not look records up for a plan holding anything besides proxy_arp switches', async () => {
    let listed = 0;
    const names = async () => {
      listed += 1;
      return ['wifi'];
    };
    const records = files({ [recordPath('wifi')]: JSON.stringify({ version: 1, spec: wifi }) });
    const mixed: Plan[] = [
      { steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '1' }, { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }] },
      { steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.rp_filter', value: '0' }] },
      { steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '2' }] },
      { steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '1' }, { op: 'link.delete', name: 'wlan0' }] },
    ];
    for (const plan of mixed) expect([...await readProxyArpUplinks(plan, records, names)]).toEqual([]);
    expect(listed).toBe(0);
  });
});
