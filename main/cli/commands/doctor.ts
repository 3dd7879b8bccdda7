import type { Command } from 'commander';
import { CheckId, type DoctorReport } from '../../core/doctor/doctor-report';
import { helperFixes, type HelperFix } from '../../core/doctor/helper-fixes';
import { runChecks } from '../../core/doctor/run-checks';
import { readDoctorFacts } from '../../host/doctor-facts';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { CliExit } from '../cli-exit';
import { ExitCode } from '../exit-codes';
import { formatDoctorReport, formatFixPreview } from '../format-doctor';
import { describeFailure, exitCodeOf, progressPrinter } from '../report-run';

interface DoctorOptions {
  json?: boolean;
  /** true: every safe fix; a list: only these checks' */
  fix?: true | string[];
  yes?: boolean;
}

interface Diagnosis {
  report: DoctorReport;
  fixes: HelperFix[];
}

async function diagnose(): Promise<Diagnosis> {
  const facts = await readDoctorFacts();
  const report = runChecks(facts);
  return { report, fixes: helperFixes(report, facts) };
}

/** the fixes the command line asks for; an unknown check id is bad input and nothing runs */
function chosenFixes(io: CliIo, fixes: HelperFix[], wanted: true | string[]): HelperFix[] {
  if (wanted === true) return fixes;
  const unknown = wanted.filter((id) => !CheckId.safeParse(id).success);
  if (unknown.length > 0) {
    io.stderr.write(`kvmnet: --fix: no check is called ${unknown.map((id) => `"${id}"`).join(', ')}; the checks are ${CheckId.options.join(', ')}\nkvmnet: nothing was changed\n`);
    throw new CliExit(ExitCode.BadInput);
  }
  return fixes.filter((f) => wanted.includes(f.id));
}

interface Applied {
  id: string;
  undo: HelperFix['undo'];
  undoCommands: string;
}

/**
 * Previews each safe fix, asks for it (unless --yes), and applies it through the helper. Without a
 * terminal to ask on and without --yes nothing runs at all: a script must say --yes to mean it.
 */
async function applyFixes(io: CliIo, engine: NetworkEngine, fixes: HelperFix[], options: DoctorOptions): Promise<Applied[]> {
  for (const fix of fixes) io.stderr.write(formatFixPreview(fix));
  if (!options.yes && !io.confirm) {
    io.stderr.write(`kvmnet: there is no terminal to ask on, so nothing was changed; run kvmnet doctor --fix --yes to apply ${fixes.length === 1 ? 'this fix' : `these ${fixes.length} fixes`}\n`);
    throw new CliExit(ExitCode.BadInput);
  }
  const applied: Applied[] = [];
  for (const fix of fixes) {
    if (!options.yes && !(await io.confirm!(`Apply the fix for ${fix.id}?`))) {
      io.stderr.write(`kvmnet: skipped ${fix.id}\n`);
      continue;
    }
    io.stderr.write(`kvmnet: fixing ${fix.id} (${fix.plan.steps.length} step(s))\n`);
    const outcome = await engine.run(fix.plan, progressPrinter(io, fix.plan), (line) => io.stderr.write(`kvmnet: ${line}\n`));
    if (outcome.status !== 'done') {
      for (const line of describeFailure(outcome, fix.plan)) io.stderr.write(`kvmnet: ${line}\n`);
      throw new CliExit(exitCodeOf(outcome));
    }
    applied.push({ id: fix.id, undo: fix.undo, undoCommands: fix.undoCommands });
  }
  return applied;
}

export function registerDoctor(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('doctor')
    .description('check the host for what breaks VM networking (ip_forward, firewalls, MAC clashes, NetworkManager …) and fix the safe findings')
    .option('--json', 'print the report as JSON: {"checks":[{"id","status","summary","detail","fix"?}]}')
    .option('--fix [check...]', 'apply the safe, reversible fixes through the helper (all of them, or only these checks\'), each previewed and asked for first')
    .option('--yes', 'with --fix: apply without asking (needed when there is no terminal to ask on)')
    .addHelpText('after', '\nWithout --fix the doctor changes nothing and exits 0 whatever it finds. --fix with no terminal and no --yes\nchanges nothing and exits 2. Unsafe findings (another program\'s firewall, a guest\'s MAC) are explained\nwith the commands to run by hand, never applied.')
    .action(async (options: DoctorOptions) => {
      const json = options.json === true;
      const before = await diagnose();
      if (options.fix === undefined) {
        io.stdout.write(json ? `${JSON.stringify(before.report, null, 2)}\n` : formatDoctorReport(before.report, new Set(before.fixes.map((f) => f.id))));
        return;
      }
      const fixes = chosenFixes(io, before.fixes, options.fix);
      if (fixes.length === 0) {
        if (!json) io.stdout.write(formatDoctorReport(before.report, new Set()));
        io.stderr.write('kvmnet: no finding has a fix the doctor can apply safely; nothing was changed\n');
        if (json) io.stdout.write(`${JSON.stringify({ ...before.report, fixed: [] }, null, 2)}\n`);
        return;
      }
      const applied = await applyFixes(io, engine, fixes, options);
      const after = await diagnose();
      if (json) {
        io.stdout.write(`${JSON.stringify({ ...after.report, fixed: applied }, null, 2)}\n`);
        return;
      }
      io.stdout.write(formatDoctorReport(after.report, new Set(after.fixes.map((f) => f.id))));
      for (const a of applied) io.stdout.write(`\nto undo the fix for ${a.id}:\n${a.undoCommands}`);
    });
}
