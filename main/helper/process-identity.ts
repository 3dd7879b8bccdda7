import { readFile } from 'node:fs/promises';
import type { ProcessIdentity } from './journal';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks): a pid plus this names one process, even after pid reuse. */
export function startTimeFromStat(stat: string): string {
  // the command name (field 2) is in parentheses and may contain spaces or parentheses itself
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = fields[19];
  if (startTime === undefined || !/^[0-9]+$/.test(startTime)) throw new Error('unexpected /proc/<pid>/stat format');
  return startTime;
}

export async function selfIdentity(): Promise<ProcessIdentity> {
  return { pid: process.pid, startTime: startTimeFromStat(await readFile('/proc/self/stat', 'utf8')) };
}

export async function isRunning(identity: ProcessIdentity): Promise<boolean> {
  const stat = await readFile(`/proc/${identity.pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && startTimeFromStat(stat) === identity.startTime;
}
