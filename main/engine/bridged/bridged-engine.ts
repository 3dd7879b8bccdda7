import type { HostSnapshot } from '../../core/host-snapshot';
import type { Plan } from '../../helper/protocol';
import { observeHost } from '../../host/observe';
import { runOnHost, type RunCommand } from '../../host/network-manager/nm-command';
import { runPlan, type RunOutcome, type StepProgress } from '../run-plan';

/** What the bridge-to-LAN engine functions need from the host; tests and the app pass their own. */
export interface BridgedEngine {
  /** runs a plan with root (the helper, or in-process when root already) */
  run(plan: Plan, onProgress: (event: StepProgress) => void, log: (line: string) => void): Promise<RunOutcome>;
  /** read-only tools: nmcli, busctl, ip */
  readonly read: RunCommand;
  readSnapshot(): Promise<HostSnapshot>;
  readResolvConf(): Promise<string>;
  now(): number;
}

export interface BridgedHooks {
  onProgress(event: StepProgress): void;
  log(line: string): void;
  /** the plan about to run, for the user to read */
  onPlan?(plan: Plan): void;
}

export const hostBridgedEngine: BridgedEngine = {
  run: runPlan,
  read: runOnHost,
  readSnapshot: observeHost,
  readResolvConf: async () => (await import('node:fs/promises')).readFile('/etc/resolv.conf', 'utf8').catch(() => ''),
  now: Date.now,
};

/** the name servers of a resolv.conf, in order */
export const resolvConfServers = (text: string): string[] =>
  text.split('\n').map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
