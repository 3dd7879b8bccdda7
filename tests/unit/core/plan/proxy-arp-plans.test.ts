import { describe, expect, it } from 'vitest';
import type { NetworkRecord } from '../../../../main/core/network/network-record';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { planCreate, planDelete, planStart, planStop } from '../../../../main/core/plan/network-plans';
import type { IpForwardValue, PlanContext } from '../../../../main/core/plan/plan-context';
import type { Step } from '../../../../main/helper/protocol';
import { bareSnapshot, context, record, running, specs } from './plan-fixture';

/** two proxy-ARP networks on wlan0 (10.0.5.0/24), and one on eth0 */
const wifi: NetworkSpec = {
  name: 'wifi', kind: 'routed', backend: 'direct', bridge: 'kv-wifi', uplink: 'wlan0', proxyArp: true,
  ipv4: { subnet: '10.0.5.240/28', gateway: '10.0.5.241' }, dhcp: { start: '10.0.5.248', end: '10.0.5.254' }, autostart: true,
};
const wifi2: NetworkSpec = { ...wifi, name: 'wifi2', bridge: 'kv-wifi2', ipv4: { subnet: '10.0.5.224/28', gateway: '10.0.5.225' }, dhcp: null };
const wired: NetworkSpec = { ...wifi, name: 'wired', bridge: 'kv-wired', uplink: 'eth0', ipv4: { subnet: '192.168.1.240/28', gateway: '192.168.1.241' }, dhcp: null };

const withProxyArp = (c: PlanContext, values: Record<string, IpForwardValue>): PlanContext => ({ ...c, proxyArp: values });
const sysctls = (steps: Step[]) => steps.flatMap((s) => (s.op === 'sysctl.set' ? [`${s.key}=${s.value}`] : []));
const writes = (steps: Step[]) => steps.flatMap((s) => (s.op === 'record.write' ? [s.record] : []));
const withMemory = (spec: NetworkSpec, proxyArpBefore?: '0' | '1'): NetworkRecord => ({ ...record(spec, '0'), ...(proxyArpBefore && { proxyArpBefore }) });

describe('proxy ARP on the uplink, remembered and restored like ip_forward', () => {
  it('create turns proxy_arp on at the uplink after ip_forward and before dnsmasq, and remembers 0', () => {
    const plan = planCreate(wifi, withProxyArp(context([], '0'), { wlan0: '0', eth0: '0' }));
    expect(sysctls(plan.steps)).toEqual(['net.ipv6.conf.kv-wifi.disable_ipv6=1', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.wlan0.proxy_arp=1']);
    const ops = plan.steps.map((s) => (s.op === 'sysctl.set' ? s.key : s.op));
    expect(ops.indexOf('net.ipv4.conf.wlan0.proxy_arp')).toBeGreaterThan(ops.indexOf('nft.network'));
    expect(ops.indexOf('net.ipv4.conf.wlan0.proxy_arp')).toBeLessThan(ops.indexOf('dnsmasq.start'));
    expect(writes(plan.steps)[0]).toMatchObject({ ipForwardBefore: '0', proxyArpBefore: '0' });
  });

  it('a plain routed network never touches proxy_arp', () => {
    const plan = planCreate(specs.routed, withProxyArp(context([], '1'), { eth0: '0' }));
    expect(sysctls(plan.steps).filter((s) => s.includes('proxy_arp'))).toEqual([]);
    expect(writes(plan.steps)[0]?.proxyArpBefore).toBeUndefined();
  });

  it('when proxy_arp was on already, create neither sets nor remembers it, and delete leaves it on', () => {
    const plan = planCreate(wifi, withProxyArp(context([], '1'), { wlan0: '1' }));
    expect(sysctls(plan.steps)).toEqual(['net.ipv6.conf.kv-wifi.disable_ipv6=1']);
    const created = writes(plan.steps)[0]!;
    expect(created.proxyArpBefore).toBeUndefined();
    const deleted = planDelete({ backend: 'direct', record: created, active: true }, withProxyArp(context([created], '1', running(bareSnapshot(), created)), { wlan0: '1' }));
    expect(sysctls(deleted.steps)).toEqual([]);
  });

  it('deleting the last proxy-ARP network on the uplink restores 0, even while libvirt forwards (libvirt never needs proxy_arp)', () => {
    const r = withMemory(wifi, '0');
    const snapshot = running(bareSnapshot(), r);
    expect(snapshot.libvirt.networks.some((n) => n.active && n.forwardMode === 'nat')).toBe(true);
    const plan = planDelete({ backend: 'direct', record: r, active: true }, withProxyArp(context([r], '1', snapshot), { wlan0: '1' }));
    // ip_forward stays on for libvirt; proxy_arp goes back, before the rules go (the reverse of create)
    expect(sysctls(plan.steps)).toEqual(['net.ipv4.conf.wlan0.proxy_arp=0']);
    const ops = plan.steps.map((s) => s.op);
    expect(ops.indexOf('sysctl.set')).toBeGreaterThan(ops.indexOf('dnsmasq.stop'));
    expect(ops.indexOf('sysctl.set')).toBeLessThan(ops.indexOf('nft.network'));
  });

  it('a second network on the same uplink inherits the memory; one on another uplink does not keep wlan0 on', () => {
    const first = withMemory(wifi, '0');
    const second = withMemory(wifi2);
    const other = withMemory(wired, '0');
    const c = withProxyArp(context([first, second, other], '1', running(bareSnapshot(), first, second, other)), { wlan0: '1', eth0: '1' });
    const plan = planDelete({ backend: 'direct', record: first, active: true }, c);
    expect(sysctls(plan.steps)).toEqual([]);
    expect(writes(plan.steps)).toEqual([{ ...second, proxyArpBefore: '0' }]);

    const alone = withProxyArp(context([first, other], '1', running(bareSnapshot(), first, other)), { wlan0: '1', eth0: '1' });
    expect(sysctls(planDelete({ backend: 'direct', record: first, active: true }, alone).steps)).toEqual(['net.ipv4.conf.wlan0.proxy_arp=0']);
  });

  it('stop leaves proxy_arp alone; start turns it on again if something turned it off meanwhile', () => {
    const r = withMemory(wifi, '0');
    expect(sysctls(planStop({ backend: 'direct', record: r, active: true }).steps)).toEqual([]);
    const stopped = withProxyArp(context([r], '1'), { wlan0: '0' });
    const started = planStart({ backend: 'direct', record: r, active: false }, stopped);
    expect(sysctls(started.steps)).toContain('net.ipv4.conf.wlan0.proxy_arp=1');
    expect(writes(started.steps)).toEqual([]);
  });
});
