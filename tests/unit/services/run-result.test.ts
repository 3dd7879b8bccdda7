import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../main/helper/protocol';
import { runResult } from '../../../main/services/run-result';

const plan: Plan = {
  steps: [
    { op: 'libvirt.define', spec: { name: 'lab', kind: 'nat', backend: 'libvirt', bridge: 'kv-lab', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: null, autostart: true } },
    { op: 'libvirt.autostart', network: 'lab', enabled: true },
    { op: 'libvirt.start', network: 'lab' },
  ],
};
const failure = (undone: number, left: string[] = []) => ({ failedIndex: 2, failedOp: 'libvirt.start', reason: ' bridge busy \n', undone, left });

describe('runResult', () => {
  it('counts back from the failed step when the undo events were not seen', () => {
    expect(runResult(plan, { status: 'failed', error: { code: 'APPLY_FAILED', message: 'x', failure: failure(2) } }, [])).toEqual({
      status: 'failed', steps: plan.steps, failedIndex: 2, reason: 'bridge busy', rolledBack: [0, 1], left: [],
    });
  });

  it('passes on what could not be restored', () => {
    const result = runResult(plan, { status: 'failed', error: { code: 'ROLLBACK_INCOMPLETE', message: 'x', failure: failure(1, ['libvirt network lab is still defined']) } }, []);
    expect(result).toMatchObject({ status: 'failed', rolledBack: [1], left: ['libvirt network lab is still defined'] });
  });

  it('tells a refusal before anything ran from a failure', () => {
    expect(runResult(plan, { status: 'failed', error: { code: 'NOT_OWNED', message: 'kv-lab is not KVMNet\'s' } }, [])).toMatchObject({ status: 'refused', reason: 'kv-lab is not KVMNet\'s', rolledBack: [] });
    expect(runResult(plan, { status: 'failed', error: { code: 'INTERNAL', message: 'boom' } }, [])).toMatchObject({ status: 'failed', reason: 'boom' });
  });

  it('says when root was not had, or the helper went away', () => {
    expect(runResult(plan, { status: 'no-root', message: 'dismissed' }, [])).toMatchObject({ status: 'no-root', reason: 'dismissed' });
    expect(runResult(plan, { status: 'lost', message: 'exit 137' }, [])).toMatchObject({ status: 'lost', reason: 'exit 137' });
    expect(runResult(plan, { status: 'done', applied: 3 }, [])).toEqual({ status: 'done', steps: plan.steps, rolledBack: [], left: [] });
  });
});
