import type { UplinkAlternative } from '../core/bridge-to-lan/uplink-eligibility';
import { describeStep } from '../core/plan/describe-step';
import type { BridgedHooks } from '../engine/bridged/bridged-engine';
import type { RunOutcome } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type { CliIo } from './cli-io';
import { CliExit } from './cli-exit';
import { ExitCode } from './exit-codes';
import { cliIssueMessage } from './option-fields';
import { describeFailure, exitCodeOf, progressPrinter } from './report-run';

/** Progress of every plan a bridge command runs, one stderr line per step outcome as `kvmnet create` prints them. */
export function bridgedHooks(io: CliIo): BridgedHooks {
  let printer: ReturnType<typeof progressPrinter> | undefined;
  return {
    onPlan(plan: Plan) {
      io.stderr.write(`kvmnet: ${plan.description ?? 'applying a plan'} (${plan.steps.length} step(s))\n`);
      printer = progressPrinter(io, plan);
    },
    onProgress: (event) => printer?.(event),
    log: (line) => io.stderr.write(`kvmnet: ${line}\n`),
  };
}

const ALTERNATIVE_WORDS: Record<UplinkAlternative, (name: string, uplink: string) => string> = {
  nat: (name) => `NAT (the default): guests reach the LAN and the internet through the host: kvmnet create nat ${name}`,
  'routed-proxy-arp': (name, uplink) =>
    `routed with proxy ARP: guests get addresses from the LAN's subnet (a slice of it) and are reachable from it, the host answering ARP for them on ${uplink}: ` +
    `kvmnet create routed ${name} --uplink ${uplink} --proxy-arp [--subnet <slice of the LAN outside its router's DHCP pool>]`,
  'existing-bridge': () => 'attach guests to that bridge directly (libvirt: <interface type="bridge">)',
};

/** An uplink that cannot be bridged: why (as --uplink), what works instead, exit 2 with nothing changed. */
export function refuseUplink(io: CliIo, name: string, uplink: string, message: string, alternatives: readonly UplinkAlternative[] | undefined): never {
  io.stderr.write(`kvmnet: ${cliIssueMessage({ field: 'uplink', message })}\n`);
  if (alternatives?.length) {
    io.stderr.write('kvmnet: what works instead:\n');
    for (const a of alternatives) io.stderr.write(`  - ${ALTERNATIVE_WORDS[a](name, uplink)}\n`);
  }
  io.stderr.write('kvmnet: nothing was changed\n');
  throw new CliExit(ExitCode.BadInput);
}

/** A plan that failed: what happened and the exit status it means. */
export function failWith(io: CliIo, outcome: Exclude<RunOutcome, { status: 'done' }>, plan: Plan): never {
  for (const line of describeFailure(outcome, plan)) io.stderr.write(`kvmnet: ${line}\n`);
  throw new CliExit(exitCodeOf(outcome));
}

/** the steps a plan would run, for --dry-run */
export const planLines = (plan: Plan): string => `${plan.steps.map((s, i) => `${i + 1}/${plan.steps.length} ${describeStep(s)}`).join('\n')}\n`;

export const clock = (iso: string): string => new Date(iso).toISOString().slice(11, 19);
