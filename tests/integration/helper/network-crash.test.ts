import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import type { HostState } from '../../lab/host-state';
import type { HelperMessage, ProgressEvent } from '../../../main/helper/protocol';
import { HelperProcess } from './helper-process';
import { expectHostStateToBecome, settledHostState } from './host-checks';
import { addForeignFirewall, directCreatePlan, directUpSteps, hostonlySpec, natSpec } from './network-fixtures';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper network crash tests: ${skip}`);

/** a direct network's creation (firewall, ip_forward, dnsmasq, record, boot unit), then enough link steps that a kill lands mid-apply */
const PLAN = [
  ...directCreatePlan(natSpec),
  ...Array.from({ length: 12 }, (_, i) => [
    { op: 'link.add', kind: 'tap', name: `kvct${i}`, network: 'lab', user: 1000 },
    { op: 'link.setMaster', name: `kvct${i}`, master: natSpec.bridge },
    { op: 'sysctl.set', key: `net.ipv4.conf.kvct${i}.proxy_arp`, value: '1' },
  ]).flat(),
];
const indexOf = (op: string) => PLAN.findIndex((s) => s.op === op);

const progressOf = (messages: readonly HelperMessage[]) => messages.filter((m): m is ProgressEvent => m.id === 'doomed' && 'event' in m);

describe.skipIf(skip)('kill -9 of the helper in the middle of a plan with firewall, dnsmasq and record steps', () => {
  let lab: Lab;
  let before: HostState;

  beforeAll(async () => {
    lab = await startLab();
    await addForeignFirewall(lab);
    const setup = HelperProcess.start(lab);
    // another network already runs: its rules must come back exactly, its dnsmasq must keep running
    expect((await setup.apply([...directUpSteps(hostonlySpec), { op: 'record.write', record: { version: 1, spec: hostonlySpec } }])).response).toMatchObject({ ok: true });
    await setup.close();
    before = await settledHostState(lab);
  });
  afterAll(async () => { await lab?.close(); });

  it.each([
    { when: 'while the firewall table is being replaced', kill: (e: ProgressEvent[]) => e.some((p) => p.index === indexOf('nft.network') && p.status === 'running') },
    { when: 'once dnsmasq runs', kill: (e: ProgressEvent[]) => e.some((p) => p.index === indexOf('dnsmasq.start') && p.status === 'done') },
    { when: 'once the record and the boot unit are written', kill: (e: ProgressEvent[]) => e.some((p) => p.index === indexOf('boot.unit') && p.status === 'done') },
  ])('$when: the next helper to start restores the host', async ({ kill }) => {
    const victim = HelperProcess.start(lab);
    await victim.request({ method: 'ping' });
    victim.sendLine(JSON.stringify({ id: 'doomed', method: 'apply', plan: { steps: PLAN } }));
    await victim.waitFor((messages) => kill(progressOf(messages)));
    await victim.kill9();
    expect(victim.messages.some((m) => m.id === 'doomed' && 'ok' in m), 'the kill landed after the apply ended').toBe(false);
    expect((await lab.sh('ls', ['/var/lib/kvmnet/journal'])).trim()).not.toBe('');

    const heir = HelperProcess.start(lab);
    expect((await heir.request({ method: 'ping' })).response).toMatchObject({ ok: true, result: { recovered: 1 } });
    await expectHostStateToBecome(lab, before);
    await heir.close();
  });
});
