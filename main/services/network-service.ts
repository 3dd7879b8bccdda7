import { networkSnippets } from '../core/attach/network-snippets';
import { KvmnetError } from '../core/kvmnet-error';
import { NetworkName } from '../core/names';
import { completeDraft } from '../core/network/defaults';
import { NetworkInputError } from '../core/network/field-issue';
import type { NetworkSpec } from '../core/network/network-spec';
import { validateNetwork } from '../core/network/validate-network';
import { planAutostart } from '../core/plan/autostart-plan';
import { planCreate, planDelete, planStart, planStop } from '../core/plan/network-plans';
import { lookupNetwork, runningDirectSpecs, type KvmnetNetwork } from '../core/plan/plan-context';
import { renderLibvirtNetworkXml } from '../core/render/libvirt-network-xml';
import { renderPlanAsShell } from '../core/render/plan-as-shell';
import type { HostNetworkState } from '../engine/host-network-state';
import { runThroughSession, type SessionPrivilege, type StepProgress } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type { DraftCheck, NetworkList, PlanPreview, RunProgress, RunResult } from '../ipc/network-channels';
import { runResult } from './run-result';

/** What the network service needs from the rest of main; the app and the E2E transport pass real ones. */
export interface NetworkServiceDeps {
  readState(): Promise<HostNetworkState>;
  /** called after every change run: from then on readState must describe the host after it */
  changed(): void;
  /** the session's one privilege session: one password prompt for every change */
  privilege: SessionPrivilege;
  /** whether /dev/vhost-net exists, for the QEMU snippet */
  vhostNet(): boolean;
  /** asks where to save and writes the file; null when the user cancelled */
  saveScript(defaultName: string, text: string): Promise<string | null>;
  random(): number;
}

export type NetworkService = ReturnType<typeof createNetworkService>;

/**
 * How long one read of the host serves the checks of a draft: typing a name fires a check per
 * pause, and each full read runs ip and virsh. Changes always read afresh.
 */
export const CHECK_STATE_MAX_AGE_MS = 1000;

function firstIssue(issues: readonly { field: string; message: string }[]): KvmnetError {
  const issue = issues[0];
  return new KvmnetError('BAD_REQUEST', issue?.message ?? 'the network is not valid', issue?.field);
}

/**
 * Networks for the app, on the CLI's own core: the same validator, defaults, planner and shell
 * rendering, and plans run through the app's privilege session. Every change is re-checked here
 * against a fresh read of the host, whatever the renderer checked before.
 */
export function createNetworkService(deps: NetworkServiceDeps) {
  const listeners = new Set<(progress: RunProgress) => void>();
  let running = false;
  let recent: { at: number; state: Promise<HostNetworkState> } | undefined;

  function recentState(): Promise<HostNetworkState> {
    if (!recent || Date.now() - recent.at > CHECK_STATE_MAX_AGE_MS) {
      const state = deps.readState();
      recent = { at: Date.now(), state };
      // a failed read is not kept for the next check
      state.catch(() => { if (recent?.state === state) recent = undefined; });
    }
    return recent.state;
  }

  /** completeDraft validates the draft first: its first issue is the error */
  function complete(draft: Record<string, unknown>, state: HostNetworkState): NetworkSpec {
    try {
      return completeDraft(draft, state.network);
    } catch (e) {
      if (e instanceof NetworkInputError) throw firstIssue(e.issues);
      throw e;
    }
  }

  function find(name: string, state: HostNetworkState): KvmnetNetwork {
    const lookup = lookupNetwork(NetworkName.parse(name), state.plan);
    if ('found' in lookup) return lookup.found;
    if ('foreign' in lookup) throw new KvmnetError('READ_ONLY', `"${name}" is a libvirt network KVMNet did not create; KVMNet shows it read-only, so change it with virsh or virt-manager`, 'name');
    throw new KvmnetError('NOT_FOUND', `there is no KVMNet network "${name}" on this host; it may have been deleted meanwhile`, 'name');
  }

  /** one change at a time: two plans planned against the same host state must not interleave */
  async function run(runId: string, plan: Plan): Promise<RunResult> {
    if (plan.steps.length === 0) return { status: 'nothing-to-do', steps: [], rolledBack: [], left: [] };
    if (running) throw new KvmnetError('BUSY', 'another change is still running; wait for it to finish, then try again');
    running = true;
    recent = undefined;
    const progress: StepProgress[] = [];
    try {
      const outcome = await runThroughSession(deps.privilege, plan, (event) => {
        progress.push(event);
        const step = plan.steps[event.index];
        if (!step) return;
        const message: RunProgress = { runId, index: event.index, total: event.total, step, status: event.status, ...(event.message ? { message: event.message } : {}) };
        for (const listener of listeners) listener(message);
      });
      return runResult(plan, outcome, progress);
    } finally {
      running = false;
      recent = undefined;
      deps.changed();
    }
  }

  async function preview(draft: Record<string, unknown>): Promise<PlanPreview> {
    const state = await recentState();
    const spec = complete(draft, state);
    const plan = planCreate(spec, state.plan);
    return {
      spec,
      steps: plan.steps,
      shell: renderPlanAsShell(plan, { nftNetworks: runningDirectSpecs(state.plan) }),
      xml: spec.backend === 'libvirt' ? renderLibvirtNetworkXml(spec) : null,
    };
  }

  return {
    subscribe(listener: (progress: RunProgress) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async list(): Promise<NetworkList> {
      const state = await deps.readState();
      return { networks: state.listing, problems: state.problems, libvirtAvailable: state.network.libvirtAvailable };
    },

    async validate(draft: Record<string, unknown>): Promise<DraftCheck> {
      const state = await recentState();
      const issues = validateNetwork(draft, state.network);
      if (issues.length > 0) return { issues, spec: null };
      try {
        return { issues: [], spec: completeDraft(draft, state.network) };
      } catch (e) {
        if (e instanceof NetworkInputError) return { issues: [...e.issues], spec: null };
        throw e;
      }
    },

    plan: preview,

    /** runs a plan planned elsewhere (guests, forwards) under the same one-at-a-time rule and progress events */
    runPlan: run,

    async exportScript(draft: Record<string, unknown>): Promise<{ path: string | null }> {
      const { spec, shell } = await preview(draft);
      return { path: await deps.saveScript(`kvmnet-create-${spec.name}.sh`, `#!/bin/sh\nset -eu\n${shell}`) };
    },

    async create(runId: string, draft: Record<string, unknown>): Promise<RunResult> {
      const state = await deps.readState();
      return run(runId, planCreate(complete(draft, state), state.plan));
    },

    async delete(runId: string, name: string): Promise<RunResult> {
      const state = await deps.readState();
      return run(runId, planDelete(find(name, state), state.plan));
    },

    async start(runId: string, name: string): Promise<RunResult> {
      const state = await deps.readState();
      return run(runId, planStart(find(name, state), state.plan));
    },

    async stop(runId: string, name: string): Promise<RunResult> {
      const state = await deps.readState();
      return run(runId, planStop(find(name, state)));
    },

    async autostart(runId: string, name: string, enabled: boolean): Promise<RunResult> {
      const state = await deps.readState();
      return run(runId, planAutostart(find(name, state), enabled));
    },

    async attachSnippets(name: string) {
      const state = await deps.readState();
      const network = state.listing.find((n) => n.name === name);
      if (!network) throw new KvmnetError('NOT_FOUND', `there is no network "${name}" on this host; it may have been deleted meanwhile`, 'name');
      return networkSnippets(network, state.plan.snapshot, { vhostNet: deps.vhostNet(), random: deps.random });
    },
  };
}
