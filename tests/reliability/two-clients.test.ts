import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostSnapshot } from '../../main/core/host-snapshot';
import type { NetworkSpec } from '../../main/core/network/network-spec';
import { NODE_ENTRIES } from '../../vite.node.config';
import { buildNodeBundle } from '../lab/build-node-bundle';
import { readHostState } from '../lab/host-state';
import { labUnavailableReason, startLab, type Lab } from '../lab/lab';
import { addLaptopLan } from '../lab/laptop-lan';
import { HelperProcess } from '../integration/helper/helper-process';
import { skipDuplicateAddressDetection } from '../integration/helper/host-checks';
import { directCreatePlan, hostonlySpec, natSpec } from '../integration/helper/network-fixtures';
import { ownedInconsistencies } from './owned-consistency';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the two-clients record: ${skip}`);

/**
 * Two clients applying at once on one host — the app's helper and a root `kvmnet`, or two
 * helpers — are serialized by the apply lock (main/helper/apply-lock.ts): one apply runs whole
 * before the other reads the host, a starting helper never rolls back a live apply's journal, and
 * both end consistent.
 */

/** when the first and the last message of a request arrived */
function timeline(helper: HelperProcess, id: string): { first: number; last: number } {
  const mine = helper.messages.flatMap((m, i) => (m.id === id ? [helper.receivedAt[i]!] : []));
  return { first: Math.min(...mine), last: Math.max(...mine) };
}

/** many owned links, so that an apply lasts long enough for the other to try to overlap it */
const longPlan = (prefix: string, network: string, bridges = 30) => Array.from({ length: bridges }, (_, i) => [
  { op: 'link.add', kind: 'bridge', name: `${prefix}${i}`, network },
  { op: 'sysctl.set', key: `net.ipv4.conf.${prefix}${i}.forwarding`, value: '1' },
  { op: 'link.setState', name: `${prefix}${i}`, up: true },
]).flat();

const secondNat: NetworkSpec = { ...natSpec, name: 'lab2', bridge: 'kvlab2', ipv4: { subnet: '10.83.0.0/24', gateway: '10.83.0.1' }, dhcp: { start: '10.83.0.128', end: '10.83.0.254' }, domain: 'lab2.internal' };

describe.skipIf(skip)('two clients applying at once', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await skipDuplicateAddressDetection(lab);
    await addLaptopLan(lab);
    await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
  });
  afterEach(async () => { await lab?.close(); });

  it('two helpers creating networks at the same moment run one after the other, and both networks end whole', async () => {
    const a = HelperProcess.start(lab);
    const b = HelperProcess.start(lab);
    try {
      await Promise.all([a.request({ method: 'ping' }), b.request({ method: 'ping' })]);
      // all three direct networks share KVMNet's nftables table, the boot unit and ip_forward
      const [ra, rb] = await Promise.all([
        a.request({ id: 'a', method: 'apply', plan: { steps: [...directCreatePlan(natSpec), ...longPlan('kvqa', 'lab')] } }),
        b.request({ id: 'b', method: 'apply', plan: { steps: [...directCreatePlan(secondNat), ...longPlan('kvqb', 'lab2')] } }),
      ]);
      expect(ra.response).toMatchObject({ ok: true });
      expect(rb.response).toMatchObject({ ok: true });
      const [ta, tb] = [timeline(a, 'a'), timeline(b, 'b')];
      // serialized: the one that went second sent its first progress after the first one's answer
      expect(ta.last < tb.first || tb.last < ta.first, `a ran ${ta.first.toFixed(0)}–${ta.last.toFixed(0)} ms, b ${tb.first.toFixed(0)}–${tb.last.toFixed(0)} ms`).toBe(true);

      const observed = (await a.request({ method: 'observe' })).response;
      if (!observed.ok) throw new Error(observed.error.message);
      const state = await readHostState(lab);
      const problems = await ownedInconsistencies(lab, state, HostSnapshot.parse(observed.result));
      // the long plans' bridges belong to no record: expected, and named; nothing else may be off
      expect(problems.filter((p) => !/^link kvq[ab]\d+ is owned/.test(p))).toEqual([]);
      expect(state.nftables).toContain('"kvlab0"');
      expect(state.nftables).toContain('"kvlab2"');
      expect(state.dnsmasq.filter((d) => d.includes('/run/kvmnet/'))).toHaveLength(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a helper starting during another helper\'s apply waits for it and does not roll back its live journal', async () => {
    const a = HelperProcess.start(lab);
    await a.request({ method: 'ping' });
    const from = a.messages.length;
    a.sendLine(JSON.stringify({ id: 'live', method: 'apply', plan: { steps: [...directCreatePlan(hostonlySpec), ...longPlan('kvqa', 'ho', 80)] } }));
    await a.waitFor((m) => m.slice(from).some((x) => x.id === 'live' && 'status' in x && x.status === 'done'));
    expect((await lab.sh('ls', ['/var/lib/kvmnet/journal'])).trim(), 'the live apply has a journal on disk').not.toBe('');

    const b = HelperProcess.start(lab);
    expect(a.messages.some((m) => m.id === 'live' && 'ok' in m), 'b started while a was still applying').toBe(false);
    const pingFrom = b.messages.length;
    b.sendLine(JSON.stringify({ id: 'after', method: 'ping' }));
    // under load the live apply can take a while; b answers only once it is over
    const ping = await b.answerOf('after', pingFrom, 180_000);
    // b's recovery waited for the lock, so a had answered before b could
    expect(a.messages.some((m) => m.id === 'live' && 'ok' in m), 'a answered before b served its first request').toBe(true);
    expect(ping.response).toMatchObject({ ok: true, result: { recovered: 0 } });
    expect(a.messages.find((m) => m.id === 'live' && 'ok' in m)).toMatchObject({ ok: true });
    expect(await lab.sh('cat', ['/etc/kvmnet/networks/ho.json'])).toContain('"kvho0"');
    await Promise.all([a.close(), b.close()]);
  });

  it('kill -9 of the helper holding the lock lets the waiting one go on; the next start rolls back the dead one\'s apply', async () => {
    const a = HelperProcess.start(lab);
    const b = HelperProcess.start(lab);
    await Promise.all([a.request({ method: 'ping' }), b.request({ method: 'ping' })]);
    const from = a.messages.length;
    a.sendLine(JSON.stringify({ id: 'doomed', method: 'apply', plan: { steps: longPlan('kvqa', 'gone') } }));
    await a.waitFor((m) => m.slice(from).filter((x) => x.id === 'doomed' && 'event' in x).length >= 10);
    const waiting = b.request({ id: 'waits', method: 'apply', plan: { steps: directCreatePlan(natSpec) } });
    await a.kill9();
    expect((await waiting).response).toMatchObject({ ok: true });

    const c = HelperProcess.start(lab);
    expect((await c.request({ method: 'ping' })).response).toMatchObject({ ok: true, result: { recovered: 1 } });
    const links = await lab.sh('ip', ['-o', 'link', 'show']);
    expect(links).not.toMatch(/kvqa/);
    expect(links).toMatch(/kvlab0/);
    await Promise.all([b.close(), c.close()]);
  });

  it('the root CLI (in-process) and a helper applying at once are serialized, and both networks end whole', async () => {
    const cli = await buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet);
    const helper = HelperProcess.start(lab);
    try {
      await helper.request({ method: 'ping' });
      const [viaCli, viaHelper] = await Promise.all([
        lab.run(process.execPath, [cli.path, 'create', 'nat', 'cli', '--backend', 'direct', '--subnet', '10.84.0.0/24']),
        helper.apply([...directCreatePlan(secondNat), ...longPlan('kvqb', 'lab2')]),
      ]);
      expect(viaCli.exitCode, viaCli.stderr).toBe(0);
      expect(viaHelper.response).toMatchObject({ ok: true });
      const observed = (await helper.request({ method: 'observe' })).response;
      if (!observed.ok) throw new Error(observed.error.message);
      const problems = await ownedInconsistencies(lab, await readHostState(lab), HostSnapshot.parse(observed.result));
      expect(problems.filter((p) => !/^link kvqb\d+ is owned/.test(p))).toEqual([]);
    } finally {
      await helper.close();
      await cli.remove();
    }
  });
});
