import { afterEach, describe, expect, it, vi } from 'vitest';
import { KvmnetError } from '../../../main/core/kvmnet-error';
import type { DoctorFacts } from '../../../main/core/doctor/doctor-facts';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import type { Plan } from '../../../main/helper/protocol';
import { HelperRequestError } from '../../../main/privilege/helper-errors';
import { DoctorService } from '../../../main/services/doctor-service';
import { healthyFacts } from '../core/doctor/doctor-facts-fixture';

/** a host whose ip_forward the applied plans really change, so a re-check sees the fix */
function doctorOn(facts: DoctorFacts, fail?: HelperRequestError) {
  const applied: Plan[] = [];
  const apply = vi.fn(async (plan: Plan, onProgress: (e: { index: number; total: number; op: string; status: 'running' | 'done' }) => void) => {
    if (fail) throw fail;
    applied.push(plan);
    plan.steps.forEach((step, index) => {
      if (step.op === 'sysctl.set') facts.sysctls.ipForward = step.value;
      onProgress({ index, total: plan.steps.length, op: step.op, status: 'done' });
    });
  });
  const readFacts = vi.fn(async () => structuredClone(facts));
  return { doctor: new DoctorService({ readFacts, apply }), applied, apply, readFacts };
}

function forwardingOff(): DoctorFacts {
  const facts = healthyFacts();
  facts.sysctls.ipForward = '0';
  return facts;
}

afterEach(() => vi.useRealTimers());

describe('DoctorService', () => {
  it('previews the fix, applies it by id with progress, and undoes it by the plan it kept', async () => {
    const { doctor, applied } = doctorOn(forwardingOff());
    const view = await doctor.run();
    expect(view.fixes).toEqual([expect.objectContaining({ id: 'ip-forward', steps: ['set net.ipv4.ip_forward = 1'], commands: expect.stringContaining('sysctl -w net.ipv4.ip_forward=1') })]);
    const progress = vi.fn();
    doctor.onProgress(progress);

    const fixed = await doctor.fix('ip-forward');
    expect(fixed).toMatchObject({ id: 'ip-forward', status: 'done', view: { undoable: ['ip-forward'], fixes: [] } });
    expect(fixed.view.report.checks.find((c) => c.id === 'ip-forward')!.status).toBe('ok');
    expect(progress).toHaveBeenCalledWith({ id: 'ip-forward', index: 0, total: 1, status: 'done', step: 'set net.ipv4.ip_forward = 1' });

    const undone = await doctor.undo('ip-forward');
    expect(undone).toMatchObject({ status: 'done', view: { undoable: [] } });
    expect(undone.view.report.checks.find((c) => c.id === 'ip-forward')!.status).toBe('fail');
    expect(applied.map((p) => p.steps)).toEqual([[{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }], [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '0' }]]);
  });

  it('refuses a fix the current report does not offer, and an undo of nothing, without running anything', async () => {
    const { doctor, apply } = doctorOn(healthyFacts());
    await expect(doctor.fix('ip-forward')).rejects.toThrow(KvmnetError);
    await expect(doctor.fix('forward-policy-drop')).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'id' });
    await expect(doctor.undo('ip-forward')).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'id' });
    expect(apply).not.toHaveBeenCalled();
  });

  it('reports a fix the helper rolled back as failed, with the helper’s words, and keeps no undo', async () => {
    const failure = new HelperRequestError({ code: 'APPLY_FAILED', message: 'step 0 (sysctl.set) failed: read-only file system; the 0 completed step(s) were undone and the host is as before' });
    const { doctor } = doctorOn(forwardingOff(), failure);
    const outcome = await doctor.fix('ip-forward');
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('read-only file system'), view: { undoable: [] } });
  });

  it('checks again once a burst of host changes settles, not once per change, and only once asked for', async () => {
    vi.useFakeTimers();
    const { doctor, readFacts } = doctorOn(forwardingOff());
    let push: (snapshot: HostSnapshot) => void = () => undefined;
    const stop = doctor.watch({
      subscribe: (listener) => {
        push = listener;
        return () => { push = () => undefined; };
      },
    });
    const changed = vi.fn();
    doctor.subscribe(changed);
    push(healthyFacts().snapshot);
    await vi.advanceTimersByTimeAsync(1000);
    expect(readFacts).not.toHaveBeenCalled();
    await doctor.run();
    for (let i = 0; i < 5; i++) {
      push(healthyFacts().snapshot);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(readFacts).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(readFacts).toHaveBeenCalledTimes(2);
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ fixes: [expect.objectContaining({ id: 'ip-forward' })] }));
    stop();
    push(healthyFacts().snapshot);
    await vi.advanceTimersByTimeAsync(1000);
    expect(readFacts).toHaveBeenCalledTimes(2);
  });
});
