import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { access } from 'node:fs/promises';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { HostSnapshot } from '../../../main/core/host-snapshot';
import { PingResult } from '../../../main/helper/protocol';
import { HelperProcess } from './helper-process';
import { linkOf } from './host-checks';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper serving tests: ${skip}`);

const bridges = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => [
    { op: 'link.add', kind: 'bridge', name: `${prefix}${i}`, network: 'serve' },
    { op: 'sysctl.set', key: `net.ipv4.conf.${prefix}${i}.forwarding`, value: '1' },
  ]).flat();

describe.skipIf(skip)('the helper process', () => {
  let lab: Lab;
  beforeAll(async () => { lab = await startLab(); });
  afterAll(async () => { await lab?.close(); });

  it('answers ping with its version, uid, pid and recovered journals', async () => {
    const helper = HelperProcess.start(lab);
    const { response } = await helper.request({ method: 'ping' });
    expect(response.ok).toBe(true);
    const result = PingResult.parse('result' in response ? response.result : undefined);
    expect(result).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), uid: 0, recovered: 0 });
    expect(result.pid).toBeGreaterThan(0);
    await helper.close();
  });

  it('observes the host, including the owner of its links', async () => {
    const helper = HelperProcess.start(lab);
    expect((await helper.apply([{ op: 'link.add', kind: 'bridge', name: 'kvobs0', network: 'seen' }, { op: 'addr.add', dev: 'kvobs0', address: '10.70.0.1/24' }])).response.ok).toBe(true);
    const { response } = await helper.request({ method: 'observe' });
    const snapshot = HostSnapshot.parse('result' in response ? response.result : undefined);
    expect(snapshot.links.find((l) => l.name === 'kvobs0')).toMatchObject({
      kind: 'bridge', owner: 'seen', alias: 'kvmnet:seen', addresses: [expect.objectContaining({ address: '10.70.0.1', prefixLength: 24 })],
    });
    await helper.close();
  });

  it('runs requests one at a time, in order: a second apply waits for the first', async () => {
    const helper = HelperProcess.start(lab);
    const from = helper.messages.length;
    helper.sendLine(JSON.stringify({ id: 'first', method: 'apply', plan: { steps: bridges('kvsa', 8) } }));
    helper.sendLine(JSON.stringify({ id: 'second', method: 'apply', plan: { steps: bridges('kvsb', 8) } }));
    helper.sendLine('{"id":"third","method":"ping"}');
    await helper.waitFor((messages) => messages.some((m) => m.id === 'third'));
    const order = helper.messages.slice(from).map((m) => m.id);
    const firstAnswer = helper.messages.findIndex((m) => m.id === 'first' && 'ok' in m) - from;
    expect(helper.messages.find((m) => m.id === 'first' && 'ok' in m)).toMatchObject({ ok: true, result: { applied: 16 } });
    expect(order.slice(0, firstAnswer + 1).every((id) => id === 'first')).toBe(true);
    expect(order.slice(firstAnswer + 1, -1).every((id) => id === 'second')).toBe(true);
    expect(order.at(-1)).toBe('third');
    await helper.close();
  });

  it('exits when stdin closes, leaving no process behind', async () => {
    const helper = HelperProcess.start(lab);
    await helper.request({ method: 'ping' });
    const pid = await helper.hostPid();
    expect(await helper.close()).toBe(0);
    await expect(access(`/proc/${pid}`)).rejects.toThrow();
  });

  it('answers what it received before stdin closed (an apply included), then exits', async () => {
    const helper = HelperProcess.start(lab);
    await helper.request({ method: 'ping' });
    helper.sendLine(JSON.stringify({ id: 'last', method: 'apply', plan: { steps: bridges('kvsc', 10) } }));
    expect(await helper.close()).toBe(0);
    expect(helper.messages.find((m) => m.id === 'last' && 'ok' in m)).toMatchObject({ ok: true, result: { applied: 20 } });
    expect(await linkOf(lab, 'kvsc9')).toMatchObject({ ifalias: 'kvmnet:serve' });
    expect((await lab.sh('ls', ['-A', '/var/lib/kvmnet/journal'])).trim()).toBe('');
  });

  it('keeps its journal directory private to root', async () => {
    expect((await lab.sh('stat', ['-c', '%a %U', '/var/lib/kvmnet/journal'])).trim()).toBe('700 root');
  });
});
