import type { Check, CheckStatus, DoctorReport } from '../core/doctor/doctor-report';
import type { HelperFix } from '../core/doctor/helper-fixes';

const WORD: Record<CheckStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL' };

const indent = (text: string, by: string): string =>
  text.replace(/\n$/, '').split('\n').map((line) => (line === '' ? '' : `${by}${line}`)).join('\n');

/** why a finding's fix is not applied by --fix, in words */
function manualReason(check: Check): string {
  return check.fix?.safe ? 'safe, but outside what the helper does: run it yourself' : 'not applied automatically: it changes another program’s settings or what your VMs rely on; check it, then run it yourself';
}

/**
 * The report for a terminal: one line per check, and under each finding why it matters and its
 * fix (the exact commands), marked with whether `kvmnet doctor --fix` applies it.
 */
export function formatDoctorReport(report: DoctorReport, fixable: ReadonlySet<string>): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${WORD[check.status].padEnd(5)} ${check.id.padEnd(width)}  ${check.summary}`);
    if (check.status === 'ok') continue;
    lines.push(indent(check.detail, '      '));
    if (check.fix) {
      const how = fixable.has(check.id) ? 'kvmnet doctor --fix applies it' : manualReason(check);
      lines.push(`      fix (${how}): ${check.fix.description}`, ...check.fix.commands.map((c) => indent(c, '        $ ')), `      undo: ${check.fix.undo}`);
    }
  }
  const counts = (['fail', 'warn', 'ok'] as const).map((s) => `${report.checks.filter((c) => c.status === s).length} ${s}`).join(', ');
  lines.push('', counts);
  return `${lines.join('\n')}\n`;
}

/** what one fix will change, before it is asked for */
export function formatFixPreview(fix: HelperFix): string {
  return [`fix ${fix.id}: ${fix.description}`, 'it runs, through the helper (journaled, rolled back if a step fails):', indent(fix.commands, '    '), 'undo:', indent(fix.undoCommands, '    '), ''].join('\n');
}
