import { describe, expect, it } from 'vitest';
import { checkSubnetOverlap } from '../../../../../main/core/doctor/checks/subnet-overlap';
import { directRecord, healthyFacts, link, route } from '../doctor-facts-fixture';

describe('subnet-overlap', () => {
  it('is ok when every network’s own routes and addresses are the only ones in its subnet', () => {
    expect(checkSubnetOverlap(healthyFacts())).toMatchObject({ status: 'ok' });
  });

  it('fails when the new Wi-Fi hands out libvirt’s 192.168.122.0/24', () => {
    const facts = healthyFacts();
    facts.snapshot.links.push(link('wlan0', 'wireless', [['192.168.122.57', 24]]));
    facts.snapshot.routes.push(route('192.168.122.0/24', 'wlan0', { protocol: 'kernel', scope: 'link' }));
    expect(checkSubnetOverlap(facts)).toMatchObject({
      status: 'fail',
      summary: 'The libvirt network "default" (192.168.122.0/24) overlaps the host route 192.168.122.0/24 on wlan0 (1 more overlap)',
    });
  });

  it('fails on a more specific route through another device', () => {
    const facts = healthyFacts();
    facts.snapshot.routes.push(route('10.80.0.0/25', 'eth0', { gateway: '192.168.1.1' }));
    expect(checkSubnetOverlap(facts).summary).toBe('The network "lab" (10.80.0.0/24) overlaps the host route 10.80.0.0/25 on eth0');
  });

  it('warns when only a stopped network overlaps: it breaks once started', () => {
    const facts = healthyFacts();
    facts.records.push(directRecord('later', 'kvbr5', '192.168.1.0/24'));
    const c = checkSubnetOverlap(facts);
    expect(c.status).toBe('warn');
    expect(c.summary).toBe('The network "later" (192.168.1.0/24) overlaps the host route 192.168.1.0/24 on eth0 (1 more overlap)');
    expect(c.detail).toContain('once the network starts');
  });

  it('reports two VM networks sharing a subnet, and the stopped one’s clash with the running one’s route and address', () => {
    const facts = healthyFacts();
    facts.libvirt.networks.push({ name: 'dup', active: false, managedByKvmnet: false, forwardMode: 'nat', bridge: 'virbr1', subnets: ['10.80.0.0/16'], dhcp: true });
    const c = checkSubnetOverlap(facts);
    expect(c.summary).toBe('The network "lab" (10.80.0.0/24) overlaps the libvirt network "dup" (10.80.0.0/16) (2 more overlaps)');
    expect(c.status).toBe('fail');
  });

  it("accepts a proxy-ARP network's slice of its uplink's LAN, but not the same slice without proxy ARP, nor a narrower route on the uplink", () => {
    const facts = healthyFacts();
    const wifi = directRecord('wifi', 'kvbr7', '192.168.1.240/28', 'routed');
    facts.records.push({ ...wifi, spec: { ...wifi.spec, uplink: 'eth0', proxyArp: true } });
    expect(checkSubnetOverlap(facts)).toMatchObject({ status: 'ok' });

    facts.snapshot.routes.push(route('192.168.1.248/29', 'eth0', { gateway: '192.168.1.1' }));
    expect(checkSubnetOverlap(facts).summary).toBe('The network "wifi" (192.168.1.240/28) overlaps the host route 192.168.1.248/29 on eth0');

    const plain = healthyFacts();
    plain.records.push({ ...wifi, spec: { ...wifi.spec, uplink: 'eth0' } });
    expect(checkSubnetOverlap(plain).summary).toBe('The network "wifi" (192.168.1.240/28) overlaps the host route 192.168.1.0/24 on eth0 (1 more overlap)');
  });

  it('ignores default routes, link-local addresses and the local table', () => {
    const facts = healthyFacts();
    facts.snapshot.routes.push(route('0.0.0.0/0', 'eth0'), route('10.80.0.1', 'kvbr0', { table: 'local' }));
    expect(checkSubnetOverlap(facts).status).toBe('ok');
  });
});
