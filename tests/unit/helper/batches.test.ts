import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../main/helper/batches';
import type { Step } from '../../../main/helper/protocol';

const add = (name: string): Step => ({ op: 'link.add', kind: 'bridge', name, network: 'lab' });
const del = (name: string): Step => ({ op: 'link.delete', name });
const sysctl: Step = { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' };
const up = (name: string): Step => ({ op: 'link.setState', name, up: true });
const nft: Step = { op: 'nft.network', network: 'lab', spec: null };
const record: Step = { op: 'record.delete', network: 'lab' };
const boot: Step = { op: 'boot.unit', enabled: true };

describe('planBatches', () => {
  it('runs consecutive ip steps in one batch', () => {
    expect(planBatches([add('a'), up('a'), add('b')])).toEqual([{ kind: 'ip', indices: [0, 1, 2] }]);
  });

  it('gives each sysctl write its own batch', () => {
    expect(planBatches([add('a'), sysctl, up('a'), sysctl, sysctl])).toEqual([
      { kind: 'ip', indices: [0] }, { kind: 'single', index: 1 }, { kind: 'ip', indices: [2] }, { kind: 'single', index: 3 }, { kind: 'single', index: 4 },
    ]);
  });

  it('runs each host step (firewall, dnsmasq, libvirt, files) on its own, between ip batches', () => {
    expect(planBatches([add('a'), up('a'), nft, add('b'), record, boot])).toEqual([
      { kind: 'ip', indices: [0, 1] }, { kind: 'single', index: 2 }, { kind: 'ip', indices: [3] }, { kind: 'single', index: 4 }, { kind: 'single', index: 5 },
    ]);
  });

  it('opens a new batch at each delete, so its inverse is read from the kernel', () => {
    expect(planBatches([add('a'), del('x'), up('a'), del('y'), del('z')])).toEqual([
      { kind: 'ip', indices: [0] }, { kind: 'ip', indices: [1, 2] }, { kind: 'ip', indices: [3] }, { kind: 'ip', indices: [4] },
    ]);
  });

  it('covers every step exactly once, in order', () => {
    const steps = [add('a'), sysctl, del('a'), nft, add('b'), up('b'), sysctl, record, del('b')];
    const order = planBatches(steps).flatMap((b) => (b.kind === 'ip' ? b.indices : [b.index]));
    expect(order).toEqual(steps.map((_, i) => i));
  });
});
