import { readFile } from 'node:fs/promises';
import type { NetworkdLinkState } from '../../core/bridge-to-lan/networkd-files';
import type { HostSnapshot } from '../../core/host-snapshot';
import { readNetworkdLink } from '../../host/networkd-state';
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
  /** whether systemd-networkd configures the link of this ifindex, and from which .network file */
  readNetworkdLink(ifindex: number): Promise<NetworkdLinkState>;
  /** a configuration file a user can read anyway (networkd's .network files) */
  readText(path: string): Promise<string | undefined>;
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
  readResolvConf: async () => (await readFile('/etc/resolv.conf', 'utf8').catch(() => '')),
  readNetworkdLink: (ifindex) => readNetworkdLink(ifindex),
  readText: (path) => readFile(path, 'utf8').catch(() => undefined),
  now: Date.now,
};

/** the DNS servers networkd keeps for a link (none when the link is gone or networkd does not know it) */
export async function networkdDns(engine: Pick<BridgedEngine, 'readSnapshot' | 'readNetworkdLink'>, dev: string): Promise<string[]> {
  const link = (await engine.readSnapshot()).links.find((l) => l.name === dev);
  return link ? [...(await engine.readNetworkdLink(link.index)).dns] : [];
}

/** the name servers of a resolv.conf, in order */
export const resolvConfServers = (text: string): string[] =>
  text.split('\n').map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
