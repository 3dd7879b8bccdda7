import { z } from 'zod';
import type { PlanState } from './plan-state';
import type { HelperError, Plan } from './protocol';
import { hostOpFor, ipOpFor } from './ops/registry';
import { isHostStep, type Refusal } from './ops/op';
import { sysctlSet } from './ops/sysctl-set';
import { Undo } from './undo';

const Undos = z.array(Undo);

/**
 * Checks the WHOLE plan before anything runs, each step against the state the earlier steps will
 * have made (links the plan creates count as owned, a libvirt network an earlier step defines
 * exists, a dnsmasq an earlier step starts runs). The first refusal is returned; nothing ran.
 */
export function validatePlan(plan: Plan, initial: PlanState): HelperError | undefined {
  let state = initial;
  for (const [index, step] of plan.steps.entries()) {
    let refusal: Refusal | undefined;
    if (step.op === 'sysctl.set') {
      refusal = sysctlSet.check(step, state.links, state.proxyArpUplinks);
    } else if (isHostStep(step)) {
      const op = hostOpFor(step);
      refusal = op.check(step, state);
      if (!refusal) state = op.simulate(step, state);
    } else {
      const op = ipOpFor(step);
      refusal = op.check(step, state.links);
      // an inverse that cannot be journaled (a foreign master with a name we never write) would
      // leave a step we cannot undo
      if (!refusal && !Undos.safeParse(op.inverse(step, state.links)).success) {
        refusal = { code: 'NOT_ALLOWED', field: 'op', message: `the helper could not record how to undo this ${step.op} (a link it would restore has a name KVMNet does not handle)` };
      }
      if (!refusal) state = { ...state, links: op.simulate(step, state.links) };
    }
    if (refusal) {
      const field = `plan.steps.${index}.${refusal.field}`;
      return { code: refusal.code, field, message: `${field}: ${refusal.message}` };
    }
  }
  return undefined;
}
