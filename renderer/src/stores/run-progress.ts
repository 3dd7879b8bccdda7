import type { Step } from '../../../main/helper/protocol';
import type { RunProgress } from '../../../main/ipc/network-channels';
import type { NetworkRun, StepState } from './networks';

/** Puts one pushed progress event into the run it belongs to (ignored for another run); the first event sizes the lists. */
export function applyProgress(current: NetworkRun | null, progress: RunProgress): void {
  if (!current || current.id !== progress.runId) return;
  if (current.steps.length !== progress.total) {
    current.steps = new Array<Step>(progress.total).fill(progress.step);
    current.states = new Array<StepState>(progress.total).fill('pending');
    current.messages = new Array<string>(progress.total).fill('');
  }
  current.steps[progress.index] = progress.step;
  current.states[progress.index] = progress.status;
  if (progress.message) current.messages[progress.index] = progress.message.trim();
}
