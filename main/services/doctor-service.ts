import { KvmnetError } from '../core/kvmnet-error';
import type { CheckId } from '../core/doctor/doctor-report';
import type { DoctorFacts } from '../core/doctor/doctor-facts';
import type { DoctorView, FixOutcome, FixProgress } from '../core/doctor/doctor-view';
import { helperFixes, type HelperFix } from '../core/doctor/helper-fixes';
import { runChecks } from '../core/doctor/run-checks';
import { describeStep } from '../core/plan/describe-step';
import type { StepProgress } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type { HostObserver } from '../host/observer';
import { HelperRequestError } from '../privilege/helper-errors';

export interface DoctorDeps {
  readFacts(): Promise<DoctorFacts>;
  /** runs a plan with the session's helper; throws NOT_ELEVATED without one, HelperRequestError when it fails */
  apply(plan: Plan, onProgress: (event: StepProgress) => void): Promise<unknown>;
}

/** a burst of host changes (a Wi-Fi joining brings links, addresses and routes one by one) is one re-check */
const CHANGE_SETTLE_MS = 400;

/**
 * The network doctor for the app: runs the checks, applies a safe fix by its check id through the
 * session's helper (looked up again in a fresh report, never taken from the renderer), keeps the
 * undo plan of each fix applied in this session, and re-checks by itself when the host's network
 * changes, driven by the live observer's pushes (no polling).
 */
export class DoctorService {
  private readonly undos = new Map<CheckId, Plan>();
  private readonly changeListeners = new Set<(view: DoctorView) => void>();
  private readonly progressListeners = new Set<(progress: FixProgress) => void>();
  /** nobody has asked for the doctor yet: host changes do not wake it */
  private asked = false;

  constructor(private readonly deps: DoctorDeps) {}

  async run(): Promise<DoctorView> {
    this.asked = true;
    return (await this.diagnose()).view;
  }

  async fix(id: CheckId): Promise<FixOutcome> {
    const { fixes } = await this.diagnose();
    const fix = fixes.find((f) => f.id === id);
    if (!fix) throw new KvmnetError('BAD_REQUEST', `The doctor has no safe fix for ${id} now: run the checks again to see what it finds.`, 'id');
    const outcome = await this.apply(id, fix.plan, 'Fixed');
    if (outcome.status === 'done') {
      this.undos.set(id, fix.undo);
      outcome.view = { ...outcome.view, undoable: [...this.undos.keys()] };
    }
    return outcome;
  }

  async undo(id: CheckId): Promise<FixOutcome> {
    const plan = this.undos.get(id);
    if (!plan) throw new KvmnetError('BAD_REQUEST', `No fix for ${id} was applied in this session, so there is nothing to undo.`, 'id');
    const outcome = await this.apply(id, plan, 'Undone');
    if (outcome.status === 'done') {
      this.undos.delete(id);
      outcome.view = { ...outcome.view, undoable: [...this.undos.keys()] };
    }
    return outcome;
  }

  /** called with a fresh view after the host's network changed; returns the unsubscribe function */
  subscribe(listener: (view: DoctorView) => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  onProgress(listener: (progress: FixProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => {
      this.progressListeners.delete(listener);
    };
  }

  /** once the doctor has been asked for, re-checks after each settled burst of host changes and tells the subscribers */
  watch(observer: Pick<HostObserver, 'subscribe'>): () => void {
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let again = false;
    const recheck = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const view = await this.run();
        for (const listener of this.changeListeners) listener(view);
      } catch (e) {
        console.error(`[doctor] re-checking after a network change failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        running = false;
        if (again) {
          again = false;
          void recheck();
        }
      }
    };
    const stop = observer.subscribe(() => {
      if (!this.asked) return;
      clearTimeout(timer);
      timer = setTimeout(() => void recheck(), CHANGE_SETTLE_MS);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }

  private async diagnose(): Promise<{ view: DoctorView; fixes: HelperFix[] }> {
    const facts = await this.deps.readFacts();
    const report = runChecks(facts);
    const fixes = helperFixes(report, facts);
    const view: DoctorView = {
      report,
      fixes: fixes.map((f) => ({ id: f.id, description: f.description, steps: f.plan.steps.map(describeStep), commands: f.commands, undoCommands: f.undoCommands })),
      undoable: [...this.undos.keys()],
      checkedAt: new Date().toISOString(),
    };
    return { view, fixes };
  }

  private async apply(id: CheckId, plan: Plan, done: string): Promise<FixOutcome> {
    const progress = (e: StepProgress) => {
      const step = plan.steps[e.index];
      const update: FixProgress = { id, index: e.index, total: e.total, status: e.status, step: step ? describeStep(step) : e.op };
      for (const listener of this.progressListeners) listener(update);
    };
    try {
      await this.deps.apply(plan, progress);
    } catch (e) {
      if (!(e instanceof HelperRequestError)) throw e;
      return { id, status: 'failed', message: e.helperError.message, view: await this.run() };
    }
    return { id, status: 'done', message: `${done}: ${plan.steps.map(describeStep).join('; ')}`, view: await this.run() };
  }
}
