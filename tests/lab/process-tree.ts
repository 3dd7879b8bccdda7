import { readdir, readFile } from 'node:fs/promises';

/**
 * The host PIDs of the children of host process `pid`, from every one of its threads: how tests
 * find, by PID, the processes they started through nsenter (its only child is the real program)
 * and what those started in turn. Matching command lines instead is racy: right after a fork,
 * the child still shows its parent's command line.
 */
export async function childPids(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
  const lists = await Promise.all(threads.map((t) => readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '')));
  return lists.join(' ').split(/\s+/).filter(Boolean).map(Number);
}

/** the command line of host process `pid`, arguments joined by spaces; '' once it is gone */
export async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean).join(' ');
}
