import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import type { HostState } from '../../lab/host-state';
import type { HelperMessage } from '../../../main/helper/protocol';
import { HelperProcess } from './helper-process';
import { expectHostStateToBecome, hostState } from './host-checks';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper crash-recovery tests: ${skip}`);

/** long enough (40 batches, 140 progress events) that a kill lands in the middle */
const LONG_PLAN = Array.from({ length: 10 }, (_, i) => [
  { op: 'link.add', kind: 'bridge', name: `kvc${i}`, network: 'crash' },
  { op: 'link.add', kind: 'tap', name: `kvct${i}`, network: 'crash', user: 1000 },
  { op: 'link.setMaster', name: `kvct${i}`, master: `kvc${i}` },
  { op: 'addr.add', dev: `kvc${i}`, address: `10.${100 + i}.0.1/24` },
  { op: 'sysctl.set', key: `net.ipv4.conf.kvc${i}.forwarding`, value: '1' },
  { op: 'link.setState', name: `kvc${i}`, up: true },
  { op: 'sysctl.set', key: `net.ipv4.conf.kvc${i}.proxy_arp`, value: '1' },
]).flat();

const progressOf = (messages: readonly HelperMessage[], id: string) => messages.filter((m) => m.id === id && 'event' in m);

describe.skipIf(skip)('kill -9 of the helper in the middle of an apply', () => {
  let lab: Lab;
  let before: HostState;

  beforeAll(async () => {
    lab = await startLab();
    const setup = HelperProcess.start(lab);
    // an owned bridge that a step can collide with, to fail a plan at its end
    expect((await setup.apply([{ op: 'link.add', kind: 'bridge', name: 'kvpre', network: 'pre' }])).response).toMatchObject({ ok: true });
    await setup.close();
    before = await hostState(lab);
  });
  afterAll(async () => { await lab?.close(); });

  /** kills the helper once `shouldKill` holds, then checks a new helper restores the host */
  async function killAndRecover(steps: unknown[], shouldKill: (events: HelperMessage[]) => boolean): Promise<void> {
    const victim = HelperProcess.start(lab);
    await victim.request({ method: 'ping' });
    const from = victim.messages.length;
    victim.sendLine(JSON.stringify({ id: 'doomed', method: 'apply', plan: { steps } }));
    await victim.waitFor((messages) => shouldKill(progressOf(messages.slice(from), 'doomed')));
    await victim.kill9();
    // the kill really landed mid-apply: no answer ever came
    expect(victim.messages.some((m) => m.id === 'doomed' && 'ok' in m)).toBe(false);
    expect((await lab.sh('ls', ['/var/lib/kvmnet/journal'])).trim()).not.toBe('');

    const heir = HelperProcess.start(lab);
    const { response } = await heir.request({ method: 'ping' });
    expect(response).toMatchObject({ ok: true, result: { recovered: 1 } });
    await expectHostStateToBecome(lab, before);
    await heir.close();
  }

  it.each([1, 9, 40, 85])('after progress event %i the next helper rolls the apply back', async (k) => {
    await killAndRecover(LONG_PLAN, (events) => events.length >= k);
  });

  it.each([1, 12])('during the rollback (after %i undo events) the next helper finishes it', async (k) => {
    const failingAtEnd = [...LONG_PLAN.slice(0, 28), { op: 'link.add', kind: 'bridge', name: 'kvpre', network: 'pre' }];
    await killAndRecover(failingAtEnd, (events) => events.filter((e) => 'status' in e && (e.status === 'undoing' || e.status === 'undone')).length >= k);
  });
});
