import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../main/helper/batches';
import { journalGroups } from '../../../main/helper/journal-groups';
import type { Step } from '../../../main/helper/protocol';

const add = (name: string): Step => ({ op: 'link.add', kind: 'bridge', name, network: 'lab' });
const del = (name: string): Step => ({ op: 'link.delete', name });
const up = (name: string): Step => ({ op: 'link.setState', name, up: true });
const addr: Step = { op: 'addr.add', dev: 'kvlab0', address: '10.80.0.1/24' };
const forward: Step = { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' };
const forward6: Step = { op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '1' };
const noIpv6: Step = { op: 'sysctl.set', key: 'net.ipv6.conf.kvlab0.disable_ipv6', value: '1' };
const nft: Step = { op: 'nft.network', network: 'lab', spec: null };
const dnsmasqStop: Step = { op: 'dnsmasq.stop', network: 'lab' };
const record: Step = { op: 'record.delete', network: 'lab' };
const boot: Step = { op: 'boot.unit', enabled: true };
const libvirtStart: Step = { op: 'libvirt.start', network: 'lab' };

/** the groups as lists of step indices */
const groupsOf = (steps: Step[]): number[][] =>
  journalGroups(planBatches(steps), steps).map((g) => g.flatMap((b) => (b.kind === 'ip' ? b.indices : [b.index])));

describe('journalGroups', () => {
  it('journals a whole direct bring-up at once: link steps, one sysctl per family, one step of each host family', () => {
    const steps = [add('kvlab0'), addr, noIpv6, up('kvlab0'), nft, forward, record, boot];
    expect(groupsOf(steps)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
  });

  it('opens a new group at a link.delete, whose inverse must be read from the kernel after the steps before it', () => {
    const steps = [boot, record, dnsmasqStop, forward, nft, del('kvlab0')];
    expect(groupsOf(steps)).toEqual([[0, 1, 2, 3, 4], [5]]);
  });

  it('never puts two sysctls of one family in a group: the second inverse must see the first write', () => {
    expect(groupsOf([forward, forward])).toEqual([[0], [1]]);
    expect(groupsOf([noIpv6, forward6, forward])).toEqual([[0], [1, 2]]);
  });

  it('never puts two steps of one host family in a group', () => {
    expect(groupsOf([nft, nft])).toEqual([[0], [1]]);
    expect(groupsOf([record, { op: 'record.write', record: { version: 1, spec: {} } } as unknown as Step])).toEqual([[0], [1]]);
  });

  it('journals any other host step (libvirt, families added later) on its own, just before it runs', () => {
    expect(groupsOf([add('a'), libvirtStart, up('a'), nft])).toEqual([[0], [1], [2, 3]]);
  });

  it('covers every step exactly once, in order', () => {
    const steps = [add('a'), forward, del('a'), nft, add('b'), up('b'), forward, record, del('b'), libvirtStart, boot];
    expect(groupsOf(steps).flat()).toEqual(steps.map((_, i) => i));
  });
});
