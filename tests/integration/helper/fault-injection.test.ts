import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import type { HostState } from '../../lab/host-state';
import { HelperProcess } from './helper-process';
import { expectHostStateToBecome, hostState } from './host-checks';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper fault-injection tests: ${skip}`);

/** owned links a plan can collide with, so a step fails in the kernel rather than in validation */
const PRE = [
  { op: 'link.add', kind: 'bridge', name: 'kvpre', network: 'pre' },
  { op: 'link.add', kind: 'tap', name: 'kvpret', network: 'pre' },
  // below 1280 bytes the kernel gives a link no IPv6 at all
  { op: 'link.add', kind: 'bridge', name: 'kvlow', network: 'pre', mtu: 1000 },
];

const PLAN = [
  { op: 'link.add', kind: 'bridge', name: 'kvb0', network: 'fi' },
  { op: 'link.add', kind: 'tap', name: 'kvt0', network: 'fi', user: 1000 },
  { op: 'link.add', kind: 'veth', name: 'kvv0', peer: 'kvv1', network: 'fi' },
  { op: 'link.setMaster', name: 'kvt0', master: 'kvb0' },
  { op: 'link.setMaster', name: 'kvv0', master: 'kvb0' },
  { op: 'addr.add', dev: 'kvb0', address: '10.90.0.1/24' },
  { op: 'sysctl.set', key: 'net.ipv4.conf.kvb0.forwarding', value: '1' },
  { op: 'link.setState', name: 'kvb0', up: true },
  { op: 'link.setState', name: 'kvv1', up: true },
  { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' },
  { op: 'addr.add', dev: 'kvb0', address: 'fd90::1/64' },
  { op: 'link.setAlias', name: 'kvv1', network: 'fi2' },
  { op: 'link.setState', name: 'kvv0', up: true },
];

/** steps the kernel really refuses, one family after another */
const FAILING = [
  { step: { op: 'link.add', kind: 'bridge', name: 'kvpre', network: 'fi' }, reason: /File exists/ },
  { step: { op: 'link.add', kind: 'tap', name: 'kvpret', network: 'fi' }, reason: /busy/i },
  { step: { op: 'link.setMaster', name: 'kvpre', master: 'kvpret' }, reason: /not supported/i },
  { step: { op: 'sysctl.set', key: 'net.ipv6.conf.kvlow.forwarding', value: '1' }, reason: /does not exist/ },
  { step: { op: 'addr.add', dev: 'kvlow', address: 'fd99::1/64' }, reason: /Invalid argument/ },
  { step: { op: 'link.add', kind: 'veth', name: 'kvnewv', peer: 'kvpre', network: 'fi' }, reason: /File exists/ },
  { step: { op: 'link.setMaster', name: 'kvpre', master: 'kvpre' }, reason: /enslave a bridge to a bridge/ },
];

describe.skipIf(skip)('a step that fails for real at each position of a plan', () => {
  let lab: Lab;
  let helper: HelperProcess;
  let before: HostState;

  beforeAll(async () => {
    lab = await startLab();
    helper = HelperProcess.start(lab);
    expect((await helper.apply(PRE)).response).toMatchObject({ ok: true });
    before = await hostState(lab);
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it.each(PLAN.map((_, k) => k).concat(PLAN.length))('fails at step %i: names it, undoes the steps before it, host as before', async (k) => {
    const { step, reason } = FAILING[k % FAILING.length]!;
    const { response, events } = await helper.apply([...PLAN.slice(0, k), step, ...PLAN.slice(k)]);
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'APPLY_FAILED', message: expect.stringContaining(`step ${k} (${step.op}) failed`), failure: { failedIndex: k, failedOp: step.op, undone: k, left: [] } },
    });
    expect('error' in response && response.error.failure!.reason).toMatch(reason);
    expect(events.filter((e) => e.status === 'failed').map((e) => e.index)).toEqual([k]);
    expect(events.filter((e) => e.status === 'undone' && e.index !== k).map((e) => e.index)).toEqual(PLAN.slice(0, k).map((_, i) => k - 1 - i));
    await expectHostStateToBecome(lab, before);
  });

  it('and without a failing step the same plan applies', async () => {
    expect((await helper.apply(PLAN)).response).toMatchObject({ ok: true, result: { applied: PLAN.length } });
  });
});
