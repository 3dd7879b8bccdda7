import { z } from 'zod';
import { Plan, type Step } from '../../helper/protocol';
import { proxyArpSwitchSteps } from '../plan/proxy-arp-switch-plan';
import { renderPlanAsShell } from '../render/plan-as-shell';
import { tapMacChanges } from './checks/duplicate-mac';
import { networksWithoutDnsmasq } from './checks/dnsmasq-running';
import { nmManagedKvmnetLinks } from './checks/nm-managed-tap';
import { proxyArpOffUplinks } from './checks/proxy-arp';
import { CheckId, type Check, type DoctorReport } from './doctor-report';
import type { DoctorFacts } from './doctor-facts';

/**
 * The doctor's safe fixes as helper plans: what `kvmnet doctor --fix` and the app's "Apply fix"
 * run, through the helper's journal and rollback like any other change, instead of the shell
 * commands the report prints for people. Each fix carries the plan that undoes it, itself made of
 * ordinary helper steps, so a fix is taken back by a fix of its own.
 *
 * Only checks whose fix is `safe` get one here, and only where every step stays inside what the
 * helper may touch (a runtime switch on its allowlist, links with KVMNet's alias, its own dnsmasq).
 * Safe fixes outside it (loading a kernel module, starting libvirt) stay manual.
 */

export const HelperFix = z
  .object({
    id: CheckId,
    description: z.string(),
    plan: Plan,
    /** the plan that puts back what `plan` changed */
    undo: Plan,
    /** `plan` as the shell commands it amounts to: the preview */
    commands: z.string(),
    undoCommands: z.string(),
  })
  .strict();
export type HelperFix = z.infer<typeof HelperFix>;

interface Steps {
  readonly steps: Step[];
  readonly undo: Step[];
}

const SYSCTL_VALUES = new Set(['0', '1', '2']);

function stepsFor(id: CheckId, facts: DoctorFacts): Steps | undefined {
  switch (id) {
    case 'ip-forward': {
      const previous = facts.sysctls.ipForward;
      if (previous === null || !SYSCTL_VALUES.has(previous)) return undefined;
      return {
        steps: [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }],
        undo: [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: previous as '0' | '1' | '2' }],
      };
    }
    case 'dnsmasq-running': {
      const specs = networksWithoutDnsmasq(facts).flatMap((t) => facts.records.find((r) => r.spec.name === t.network)?.spec ?? []);
      return {
        steps: specs.map((spec) => ({ op: 'dnsmasq.start', spec })),
        undo: specs.map((spec) => ({ op: 'dnsmasq.stop', network: spec.name })),
      };
    }
    case 'duplicate-mac': {
      const changes = tapMacChanges(facts);
      if (!changes.every((c) => c.owned)) return undefined;
      return {
        steps: changes.map((c) => ({ op: 'link.setAddress', name: c.tap, mac: c.mac })),
        undo: changes.map((c) => ({ op: 'link.setAddress', name: c.tap, mac: c.previous })),
      };
    }
    case 'nm-managed-tap': {
      const devices = nmManagedKvmnetLinks(facts).map((d) => d.device);
      const owned = new Set(facts.snapshot.links.filter((l) => l.owner !== undefined).map((l) => l.name));
      if (!devices.every((d) => owned.has(d))) return undefined;
      return {
        steps: devices.map((device) => ({ op: 'nm.managed', device, managed: false })),
        undo: devices.map((device) => ({ op: 'nm.managed', device, managed: true })),
      };
    }
    case 'proxy-arp': {
      // the helper lets a plan of these steps alone set proxy_arp on an uplink it does not own,
      // when a proxy-ARP network's record names that uplink (main/helper/proxy-arp-uplinks.ts)
      const uplinks = proxyArpOffUplinks(facts);
      return { steps: proxyArpSwitchSteps(uplinks, '1'), undo: proxyArpSwitchSteps(uplinks, '0') };
    }
    default:
      return undefined;
  }
}

/** the helper fix for one finding, or undefined when it has none (healthy, unsafe, or outside the helper) */
export function helperFixFor(check: Check, facts: DoctorFacts): HelperFix | undefined {
  if (check.status === 'ok' || check.fix?.safe !== true) return undefined;
  const found = stepsFor(check.id, facts);
  if (found === undefined || found.steps.length === 0) return undefined;
  const plan: Plan = { description: `doctor: fix ${check.id}`, steps: found.steps };
  // undone newest first, as a rollback would
  const undo: Plan = { description: `doctor: undo the fix for ${check.id}`, steps: [...found.undo].reverse() };
  return { id: check.id, description: check.fix.description, plan, undo, commands: renderPlanAsShell(plan), undoCommands: renderPlanAsShell(undo) };
}

/** every helper fix the report offers, in the report's order */
export function helperFixes(report: DoctorReport, facts: DoctorFacts): HelperFix[] {
  return report.checks.flatMap((c) => helperFixFor(c, facts) ?? []);
}
