import { describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { HelperProcess } from './helper-process';
import { addressesOf, expectHostStateToBecome, linkOf, settledHostState, skipDuplicateAddressDetection, sysctlOf } from './host-checks';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper op tests: ${skip}`);

/** links of every kind with ports, addresses and sysctls; kvbr0 has carrier through kvva (bridges forward at once) */
const SETUP = [
  { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' },
  { op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab' },
  { op: 'link.add', kind: 'bridge', name: 'kvbr1', network: 'lab' },
  { op: 'link.add', kind: 'tap', name: 'kvtap0', network: 'lab', user: 1000 },
  { op: 'link.add', kind: 'veth', name: 'kvva', peer: 'kvvb', network: 'lab' },
  { op: 'link.setMaster', name: 'kvtap0', master: 'kvbr0' },
  { op: 'link.setMaster', name: 'kvva', master: 'kvbr0' },
  { op: 'addr.add', dev: 'kvbr0', address: '10.80.0.1/24' },
  { op: 'addr.add', dev: 'kvbr0', address: 'fd80::1/64' },
  { op: 'link.setState', name: 'kvbr0', up: true },
  { op: 'link.setState', name: 'kvtap0', up: true },
  { op: 'link.setState', name: 'kvva', up: true },
  { op: 'link.setState', name: 'kvvb', up: true },
  { op: 'sysctl.set', key: 'net.ipv4.conf.kvbr0.forwarding', value: '1' },
  { op: 'sysctl.set', key: 'net.ipv4.conf.kvtap0.proxy_arp', value: '1' },
];
/** fails for real: the kernel refuses a second link named kvfail (EEXIST) */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' };

interface Case {
  name: string;
  steps: Record<string, unknown>[];
  /** what must hold after the steps succeed */
  effect(lab: Lab): Promise<void>;
}

const cases: Case[] = [
  {
    name: 'link.add bridge with stp and mtu, aliased and with a fixed locally administered MAC',
    steps: [{ op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab', stp: true, mtu: 1400 }],
    async effect(lab) {
      const l = await linkOf(lab, 'kvnew');
      expect(l).toMatchObject({ mtu: 1400, ifalias: 'kvmnet:lab', linkinfo: { info_kind: 'bridge', info_data: { stp_state: 1 } } });
      expect(Number.parseInt(l!.address!.slice(0, 2), 16) & 0b11).toBe(0b10);
    },
  },
  {
    name: 'link.add tap owned by a user, with mtu',
    steps: [{ op: 'link.add', kind: 'tap', name: 'kvtapn', network: 'lab', user: 1000, mtu: 1300 }],
    async effect(lab) {
      expect(await linkOf(lab, 'kvtapn')).toMatchObject({ mtu: 1300, ifalias: 'kvmnet:lab', linkinfo: { info_kind: 'tun', info_data: { type: 'tap' } } });
      expect((await lab.sh('cat', ['/sys/class/net/kvtapn/owner'])).trim()).toBe('1000');
    },
  },
  {
    name: 'link.add veth pair, both ends aliased',
    steps: [{ op: 'link.add', kind: 'veth', name: 'kvx0', peer: 'kvx1', network: 'lab', mtu: 9000 }],
    async effect(lab) {
      expect(await linkOf(lab, 'kvx0')).toMatchObject({ mtu: 9000, ifalias: 'kvmnet:lab', link: 'kvx1' });
      expect(await linkOf(lab, 'kvx1')).toMatchObject({ mtu: 9000, ifalias: 'kvmnet:lab', link: 'kvx0' });
    },
  },
  {
    name: 'link.delete of a bridge with ports, addresses and sysctls',
    steps: [{ op: 'link.delete', name: 'kvbr0' }],
    async effect(lab) {
      expect(await linkOf(lab, 'kvbr0')).toBeUndefined();
      expect((await linkOf(lab, 'kvtap0'))!.master).toBeUndefined();
    },
  },
  {
    name: 'link.delete of a tap owned by a user',
    steps: [{ op: 'link.delete', name: 'kvtap0' }],
    effect: async (lab) => expect(await linkOf(lab, 'kvtap0')).toBeUndefined(),
  },
  {
    name: 'link.delete of one veth end takes the pair',
    steps: [{ op: 'link.delete', name: 'kvvb' }],
    async effect(lab) {
      expect(await linkOf(lab, 'kvvb')).toBeUndefined();
      expect(await linkOf(lab, 'kvva')).toBeUndefined();
    },
  },
  {
    name: 'link.setMaster to another bridge',
    steps: [{ op: 'link.setMaster', name: 'kvtap0', master: 'kvbr1' }],
    effect: async (lab) => expect((await linkOf(lab, 'kvtap0'))!.master).toBe('kvbr1'),
  },
  {
    name: 'link.setMaster null detaches',
    steps: [{ op: 'link.setMaster', name: 'kvtap0', master: null }],
    effect: async (lab) => expect((await linkOf(lab, 'kvtap0'))!.master).toBeUndefined(),
  },
  {
    name: 'link.setMaster of a link that had none',
    steps: [{ op: 'link.setMaster', name: 'kvvb', master: 'kvbr1' }],
    effect: async (lab) => expect((await linkOf(lab, 'kvvb'))!.master).toBe('kvbr1'),
  },
  {
    name: 'link.setState down (the kernel drops the IPv6 address; the inverse puts it back)',
    steps: [{ op: 'link.setState', name: 'kvbr0', up: false }],
    async effect(lab) {
      expect((await linkOf(lab, 'kvbr0'))!.flags).not.toContain('UP');
      expect(await addressesOf(lab, 'kvbr0')).toEqual(['10.80.0.1/24']);
    },
  },
  {
    name: 'link.setState up',
    steps: [{ op: 'link.setState', name: 'kvbr1', up: true }],
    effect: async (lab) => expect((await linkOf(lab, 'kvbr1'))!.flags).toContain('UP'),
  },
  {
    name: 'link.setAlias moves a link to another network',
    steps: [{ op: 'link.setAlias', name: 'kvbr1', network: 'other' }],
    effect: async (lab) => expect((await linkOf(lab, 'kvbr1'))!.ifalias).toBe('kvmnet:other'),
  },
  {
    name: 'addr.add IPv4 and IPv6',
    steps: [{ op: 'addr.add', dev: 'kvbr1', address: '10.81.0.1/24' }, { op: 'addr.add', dev: 'kvbr1', address: 'fd81:0::1/64' }],
    effect: async (lab) => expect((await addressesOf(lab, 'kvbr1')).sort()).toEqual(['10.81.0.1/24', 'fd81::1/64']),
  },
  {
    name: 'addr.delete IPv4 and IPv6',
    steps: [{ op: 'addr.delete', dev: 'kvbr0', address: '10.80.0.1/24' }, { op: 'addr.delete', dev: 'kvbr0', address: 'fd80::1/64' }],
    effect: async (lab) => expect((await addressesOf(lab, 'kvbr0')).filter((a) => !a.startsWith('fe80:'))).toEqual([]),
  },
  {
    name: 'sysctl net.ipv4.ip_forward (the kernel overwrites every interface flag; the inverse restores them)',
    steps: [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }],
    async effect(lab) {
      expect(await sysctlOf(lab, 'net/ipv4/ip_forward')).toBe('1');
      expect(await sysctlOf(lab, 'net/ipv4/conf/kvbr1/forwarding')).toBe('1');
    },
  },
  {
    name: 'sysctl net.ipv6.conf.all.forwarding',
    steps: [{ op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '1' }],
    effect: async (lab) => expect(await sysctlOf(lab, 'net/ipv6/conf/kvbr1/forwarding')).toBe('1'),
  },
  {
    name: 'per-interface sysctls on an owned link',
    steps: [
      { op: 'sysctl.set', key: 'net.ipv4.conf.kvbr1.proxy_arp', value: '1' },
      { op: 'sysctl.set', key: 'net.ipv4.conf.kvbr1.rp_filter', value: '2' },
      { op: 'sysctl.set', key: 'net.ipv6.conf.kvbr1.forwarding', value: '1' },
      { op: 'sysctl.set', key: 'net.ipv6.conf.kvbr1.accept_ra', value: '2' },
    ],
    async effect(lab) {
      expect(await sysctlOf(lab, 'net/ipv4/conf/kvbr1/proxy_arp')).toBe('1');
      expect(await sysctlOf(lab, 'net/ipv4/conf/kvbr1/rp_filter')).toBe('2');
      expect(await sysctlOf(lab, 'net/ipv6/conf/kvbr1/forwarding')).toBe('1');
      expect(await sysctlOf(lab, 'net/ipv6/conf/kvbr1/accept_ra')).toBe('2');
    },
  },
  {
    name: 'sysctl disable_ipv6 (the kernel drops the IPv6 addresses; the inverse puts them back)',
    steps: [{ op: 'sysctl.set', key: 'net.ipv6.conf.kvbr0.disable_ipv6', value: '1' }],
    effect: async (lab) => expect(await addressesOf(lab, 'kvbr0')).toEqual(['10.80.0.1/24']),
  },
];

async function withHelperLab(run: (lab: Lab, helper: HelperProcess) => Promise<void>): Promise<void> {
  const lab = await startLab();
  const helper = HelperProcess.start(lab);
  try {
    await skipDuplicateAddressDetection(lab);
    await run(lab, helper);
  } finally {
    await helper.close();
    await lab.close();
  }
}

describe.skipIf(skip)('each helper op on the real kernel, and its inverse', () => {
  // each case has its own lab; most of a case is waiting for the kernel to settle, so they overlap
  it.concurrent.each(cases)('$name', async ({ steps, effect }) => withHelperLab(async (lab, helper) => {
    expect((await helper.apply(SETUP)).response).toMatchObject({ ok: true });
    const before = await settledHostState(lab);

    const failed = await helper.apply([...steps, FAIL]);
    expect(failed.response).toMatchObject({
      ok: false,
      error: { code: 'APPLY_FAILED', failure: { failedIndex: steps.length, failedOp: 'link.add', undone: steps.length, left: [] } },
    });
    await expectHostStateToBecome(lab, before);

    const applied = await helper.apply(steps);
    expect(applied.response).toEqual({ id: expect.any(String), ok: true, result: { applied: steps.length } });
    await effect(lab);
  }));
});
