import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRuntimeCreate } from '../../../main/core/bridge-to-lan/plan-bridged';
import { readAddressing } from '../../../main/helper/uplink-placement';
import { labUnavailableReason } from '../../lab/lab';
import { waitFor } from '../../lab/network-manager';
import { HelperProcess } from '../helper/helper-process';
import { kernelLink } from '../nm/nm-lab-steps';
import { startBridgedLab, type BridgedLab } from './bridged-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the killed-helper proof: ${skip}`);

const TIMEOUT_S = 15;

/** As the app runs it: the helper process applies the bridge and is killed (kill -9 by PID) before anyone confirms. */
describe.skipIf(skip)('the root helper killed after a bridge apply, before confirmation', () => {
  let b: BridgedLab;
  beforeAll(async () => { b = await startBridgedLab({ networkManager: false }); }, 120_000);
  afterAll(async () => { await b?.close(); });

  it('the timer process the helper started rolls the host back at the deadline', async () => {
    const before = await b.snapshot();
    const addressing = await readAddressing({ runTool: async (tool, args) => ({ ...(await b.lab.run(tool, args)) }) }, 'eth0', 'eth0');
    const { plan, pending } = planRuntimeCreate({ now: new Date().toISOString(), confirmTimeoutSeconds: TIMEOUT_S, armId: 'app-1', name: 'app', bridgeName: 'br-app', addressing });
    const helper = HelperProcess.start(b.lab);
    const applied = await helper.apply(plan.steps);
    expect(applied.response.ok, JSON.stringify(applied.response)).toBe(true);
    expect((await kernelLink(b.lab, 'eth0'))?.master).toBe('br-app');
    const helperPid = await helper.hostPid();
    await helper.kill9();
    expect(helper.hasExited).toBe(true);
    // the timer is the helper bundle again, in its own session
    expect(await b.lab.sh('pgrep', ['-f', 'kvmnet-helper.cjs --kvmnet-pending-timer app'])).toMatch(/^\d+/);

    await waitFor('the host was not rolled back', async () => (JSON.stringify(await b.snapshot()) === JSON.stringify(before) ? true : undefined),
      Date.parse(pending.deadline) - Date.now() + 10_000);
    const late = Date.now() - Date.parse(pending.deadline);
    console.log(`helper process ${helperPid} killed: its timer restored eth0 ${(late / 1000).toFixed(1)} s after the deadline`);
    expect(late).toBeGreaterThan(-1000);
    expect(late).toBeLessThan(5000);
    expect(JSON.parse(await b.lab.sh('cat', ['/run/kvmnet/pending/app.outcome.json']))).toMatchObject({ armId: 'app-1', outcome: 'rolled-back' });
  }, 90_000);
});
