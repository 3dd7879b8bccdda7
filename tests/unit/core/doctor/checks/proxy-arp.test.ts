import { describe, expect, it } from 'vitest';
import { checkProxyArp, proxyArpOffUplinks } from '../../../../../main/core/doctor/checks/proxy-arp';
import { helperFixes } from '../../../../../main/core/doctor/helper-fixes';
import { runChecks } from '../../../../../main/core/doctor/run-checks';
import type { DoctorFacts } from '../../../../../main/core/doctor/doctor-facts';
import { ProxyArpSwitchPlan } from '../../../../../main/core/plan/proxy-arp-switch-plan';
import { healthyFacts, link, route } from '../doctor-facts-fixture';

/** the healthy laptop plus Wi-Fi wlan0 on 192.168.50.0/24 and the running proxy-ARP network "wifi" on a slice of it */
function withWifi(): DoctorFacts {
  const facts = healthyFacts();
  facts.snapshot.links.push(
    link('wlan0', 'wireless', [['192.168.50.23', 24]], { mac: '3c:a9:f4:00:00:01' }),
    link('kv-wifi', 'bridge', [['192.168.50.241', 28]], { alias: 'kvmnet:wifi', owner: 'wifi', mac: '02:4b:00:00:00:09' }),
  );
  facts.snapshot.routes.push(route('192.168.50.0/24', 'wlan0', { protocol: 'kernel', scope: 'link' }), route('192.168.50.240/28', 'kv-wifi', { protocol: 'kernel', scope: 'link' }));
  facts.records.push({
    version: 1,
    spec: {
      name: 'wifi', kind: 'routed', backend: 'direct', bridge: 'kv-wifi', uplink: 'wlan0', proxyArp: true,
      ipv4: { subnet: '192.168.50.240/28', gateway: '192.168.50.241' }, dhcp: { start: '192.168.50.242', end: '192.168.50.254' }, autostart: true,
    },
    proxyArpBefore: '0',
  });
  facts.dnsmasq.push({ network: 'wifi', pidFile: '/run/kvmnet/dnsmasq/wifi.pid', pid: 4343, process: 'dnsmasq' });
  facts.proxyArp = { wlan0: '1' };
  return facts;
}

const wlan0 = (facts: DoctorFacts) => facts.snapshot.links.find((l) => l.name === 'wlan0')!;

describe('proxy-arp', () => {
  it('is ok with no proxy-ARP network, and with one whose uplink answers ARP and holds its slice', () => {
    expect(checkProxyArp(healthyFacts())).toMatchObject({ status: 'ok', summary: 'No running network uses proxy ARP' });
    const c = checkProxyArp(withWifi());
    expect(c).toMatchObject({ status: 'ok', summary: 'Proxy ARP is on for every proxy-ARP network' });
    expect(c.detail).toContain('"wifi" (192.168.50.240/28 on wlan0)');
    expect(c.fix).toBeUndefined();
  });

  it('ignores a stopped proxy-ARP network, whatever its uplink says', () => {
    const facts = withWifi();
    facts.snapshot.links = facts.snapshot.links.filter((l) => l.name !== 'kv-wifi');
    facts.proxyArp = { wlan0: '0' };
    expect(checkProxyArp(facts)).toMatchObject({ status: 'ok', summary: 'No running network uses proxy ARP' });
  });

  it('fails when proxy_arp is off on the uplink, with a safe fix that turns it on and an undo that turns it off', () => {
    const facts = withWifi();
    facts.proxyArp = { wlan0: '0' };
    const c = checkProxyArp(facts);
    expect(c).toMatchObject({
      status: 'fail',
      summary: 'Proxy ARP is off on wlan0: the LAN cannot reach the guests of the network "wifi"',
      fix: { commands: ['sysctl -w net.ipv4.conf.wlan0.proxy_arp=1'], safe: true, undo: 'Turn it off again: sysctl -w net.ipv4.conf.wlan0.proxy_arp=0' },
    });
    expect(c.detail).toContain('192.168.50.240/28');
    expect(proxyArpOffUplinks(facts)).toEqual(['wlan0']);

    // the helper fix: one proxy_arp switch, of the shape the helper accepts on a foreign uplink
    const fixes = helperFixes(runChecks(facts), facts);
    expect(fixes.map((f) => f.id)).toEqual(['proxy-arp']);
    const [fix] = fixes;
    expect(fix!.plan.steps).toEqual([{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '1' }]);
    expect(fix!.undo.steps).toEqual([{ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '0' }]);
    expect(ProxyArpSwitchPlan.safeParse(fix!.plan).success && ProxyArpSwitchPlan.safeParse(fix!.undo).success).toBe(true);
    expect(fix!.commands).toContain('sysctl -w net/ipv4/conf/wlan0/proxy_arp=1');
  });

  it('writes the slash form of the key for an uplink whose name has a dot', () => {
    const facts = withWifi();
    wlan0(facts).name = 'eth0.50';
    facts.records[1]!.spec.uplink = 'eth0.50';
    facts.proxyArp = { 'eth0.50': '0' };
    expect(checkProxyArp(facts).fix?.commands).toEqual(['sysctl -w net/ipv4/conf/eth0.50/proxy_arp=1']);
  });

  it('fails without a helper fix when the uplink is gone, naming the commands that move the network to the current uplink', () => {
    const facts = withWifi();
    facts.snapshot.links = facts.snapshot.links.filter((l) => l.name !== 'wlan0');
    facts.proxyArp = {};
    const c = checkProxyArp(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'Wlan0, the proxy-ARP uplink of the network "wifi", is gone', fix: { safe: false } });
    expect(c.fix!.commands).toEqual(['kvmnet delete wifi', 'kvmnet create routed wifi --uplink eth0 --proxy-arp']);
    expect(c.fix!.undo).toContain('kvmnet create routed wifi --uplink wlan0 --proxy-arp --subnet 192.168.50.240/28');
    expect(helperFixes(runChecks(facts), facts)).toEqual([]);
  });

  it('fails without a helper fix when the uplink joined another LAN, and the slice is no longer inside it', () => {
    const facts = withWifi();
    wlan0(facts).addresses = [{ family: 'inet', address: '10.20.0.57', prefixLength: 22, scope: 'global' }];
    const c = checkProxyArp(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'The slice 192.168.50.240/28 of the network "wifi" is no longer inside the LAN of wlan0', fix: { safe: false } });
    expect(c.detail).toContain('10.20.0.0/22');
    expect(c.fix!.commands).toEqual(['kvmnet delete wifi', 'kvmnet create routed wifi --uplink wlan0 --proxy-arp']);
    expect(helperFixes(runChecks(facts), facts)).toEqual([]);
  });

  it('keeps the options that are not the default in the commands that make the network again', () => {
    const facts = withWifi();
    wlan0(facts).addresses = [{ family: 'inet', address: '10.20.0.57', prefixLength: 22, scope: 'global' }];
    Object.assign(facts.records[1]!.spec, { bridge: 'wbr0', mtu: 1400, dhcp: null, domain: 'lab.internal', autostart: false });
    facts.snapshot.links.find((l) => l.name === 'kv-wifi')!.name = 'wbr0';
    expect(checkProxyArp(facts).fix!.commands[1]).toBe('kvmnet create routed wifi --uplink wlan0 --proxy-arp --bridge wbr0 --mtu 1400 --no-dhcp --domain lab.internal --no-autostart');
  });

  it('counts a slice equal to the whole LAN as outside it: the LAN would keep no room for its own hosts', () => {
    const facts = withWifi();
    wlan0(facts).addresses = [{ family: 'inet', address: '192.168.50.243', prefixLength: 28, scope: 'global' }];
    expect(checkProxyArp(facts).status).toBe('fail');
  });

  it('accepts the slice inside any of the uplink’s IPv4 subnets', () => {
    const facts = withWifi();
    wlan0(facts).addresses = [
      { family: 'inet', address: '10.20.0.57', prefixLength: 22, scope: 'global' },
      { family: 'inet', address: '192.168.50.23', prefixLength: 24, scope: 'global' },
    ];
    expect(checkProxyArp(facts).status).toBe('ok');
  });

  it('warns when the uplink has no IPv4 address (not connected) or its proxy_arp cannot be read', () => {
    const disconnected = withWifi();
    wlan0(disconnected).addresses = [{ family: 'inet6', address: 'fe80::3ea9:f4ff:fe00:1', prefixLength: 64, scope: 'link' }];
    expect(checkProxyArp(disconnected)).toMatchObject({ status: 'warn', summary: 'Wlan0, the proxy-ARP uplink of the network "wifi", has no IPv4 address' });
    const unreadable = withWifi();
    unreadable.proxyArp = {};
    expect(checkProxyArp(unreadable)).toMatchObject({ status: 'warn', summary: 'The proxy ARP setting of wlan0 could not be read' });
  });

  it('reports the worst finding first, and offers no helper fix when one finding needs the network made again', () => {
    const facts = withWifi();
    facts.proxyArp = { wlan0: '0' };
    facts.snapshot.links.push(link('wlan1', 'wireless', [['172.16.9.5', 24]]), link('kv-cafe', 'bridge', [['192.168.77.241', 28]], { owner: 'cafe', alias: 'kvmnet:cafe' }));
    facts.records.push({ version: 1, spec: { ...facts.records[1]!.spec, name: 'cafe', bridge: 'kv-cafe', uplink: 'wlan1', ipv4: { subnet: '192.168.77.240/28', gateway: '192.168.77.241' }, dhcp: { start: '192.168.77.242', end: '192.168.77.254' } } });
    facts.dnsmasq.push({ network: 'cafe', pidFile: '/run/kvmnet/dnsmasq/cafe.pid', pid: 4444, process: 'dnsmasq' });
    facts.proxyArp = { wlan0: '0', wlan1: '1' };
    const c = checkProxyArp(facts);
    expect(c.status).toBe('fail');
    expect(c.detail).toContain('net.ipv4.conf.wlan0.proxy_arp is 0');
    expect(c.detail).toContain('wlan1 is on 172.16.9.0/24 now');
    expect(c.fix).toMatchObject({ safe: false });
    expect(c.fix!.commands).toEqual(['sysctl -w net.ipv4.conf.wlan0.proxy_arp=1', 'kvmnet delete cafe', 'kvmnet create routed cafe --uplink wlan1 --proxy-arp']);
    expect(helperFixes(runChecks(facts), facts)).toEqual([]);
  });
});
