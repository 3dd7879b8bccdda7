import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../main/helper/batches';
import { journalGroups } from '../../../main/helper/journal-groups';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import type { Step } from '../../../main/helper/protocol';
import { stagesOf } from '../../../main/helper/stages';

const spec: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvlab0',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
};
const add: Step = { op: 'link.add', kind: 'bridge', name: 'kvlab0', network: 'lab' };
const addr: Step = { op: 'addr.add', dev: 'kvlab0', address: '10.80.0.1/24' };
const up: Step = { op: 'link.setState', name: 'kvlab0', up: true };
const noIpv6: Step = { op: 'sysctl.set', key: 'net.ipv6.conf.kvlab0.disable_ipv6', value: '1' };
const forward: Step = { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' };
const forwardOff: Step = { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '0' };
const forward6: Step = { op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '1' };
const nft: Step = { op: 'nft.network', network: 'lab', spec };
const nftOut: Step = { op: 'nft.network', network: 'lab', spec: null };
const dnsmasqStart: Step = { op: 'dnsmasq.start', spec };
const dnsmasqStop: Step = { op: 'dnsmasq.stop', network: 'lab' };
const record: Step = { op: 'record.write', record: { version: 1, spec } };
const recordOut: Step = { op: 'record.delete', network: 'lab' };
const boot: Step = { op: 'boot.unit', enabled: true };

/** each group's stages as lanes of step indices */
const stages = (steps: Step[]): number[][][][] =>
  journalGroups(planBatches(steps), steps).map((group) =>
    stagesOf(group, steps).map((stage) => stage.map((lane) => lane.flatMap((b) => (b.kind === 'ip' ? b.indices : [b.index])))));

describe('stagesOf', () => {
  it('a direct create starts dnsmasq beside the firewall steps, once the bridge is up with its address; the record and the boot unit follow alone', () => {
    const steps = [add, addr, noIpv6, up, nft, forward, dnsmasqStart, record, boot];
    expect(stages(steps)).toEqual([[[[0, 1]], [[2]], [[3]], [[4, 5], [6]], [[7]], [[8]]]]);
  });

  it('keeps the firewall lane in plan order, IPv6 forwarding included', () => {
    const steps = [add, addr, up, nft, forward, forward6, dnsmasqStart];
    expect(stages(steps)).toEqual([[[[0, 1, 2]], [[3, 4, 5], [6]]]]);
  });

  it('a direct delete stops dnsmasq beside turning forwarding off and removing the rules (in that order)', () => {
    const steps: Step[] = [{ ...boot, enabled: false }, recordOut, dnsmasqStop, forwardOff, nftOut, { op: 'link.delete', name: 'kvlab0' }];
    expect(stages(steps)).toEqual([[[[0]], [[1]], [[3, 4], [2]]], [[[5]]]]);
  });

  it('runs everything alone where no dnsmasq step sits next to firewall steps', () => {
    expect(stages([add, up, nft, forward])).toEqual([[[[0, 1]], [[2]], [[3]]]]);
    expect(stages([add, addr, up, dnsmasqStart, record])).toEqual([[[[0, 1, 2]], [[3]], [[4]]]]);
    // a per-interface sysctl is a link change, not a firewall step: it separates the two
    expect(stages([nft, noIpv6, dnsmasqStart])).toEqual([[[[0]], [[1]], [[2]]]]);
  });
});
