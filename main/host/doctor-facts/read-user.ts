import { userInfo } from 'node:os';
import type { UserFacts } from '../../core/doctor/doctor-facts';
import { runTool } from './run-tool';

const ID_TIMEOUT_MS = 2000;

const parseGids = (text: string): number[] => text.trim().split(/\s+/).filter(Boolean).map(Number).filter(Number.isInteger);

/**
 * The user whose access to /dev/kvm and friends matters: the desktop user. Under `sudo kvmnet
 * doctor` or pkexec that is the user who asked, not root.
 */
export async function readDoctorUser(env: NodeJS.ProcessEnv = process.env): Promise<UserFacts> {
  const uid = process.getuid?.() ?? -1;
  const invoker = uid === 0 ? (env.SUDO_UID ?? env.PKEXEC_UID) : undefined;
  if (invoker !== undefined && /^\d+$/.test(invoker) && invoker !== '0') {
    const [name, groups] = await Promise.all([runTool('id', ['-nu', invoker], ID_TIMEOUT_MS), runTool('id', ['-G', invoker], ID_TIMEOUT_MS)]);
    if (name.ok && groups.ok) return { name: name.stdout.trim(), uid: Number(invoker), gids: parseGids(groups.stdout) };
  }
  return { name: userInfo().username, uid, gids: process.getgroups?.() ?? [] };
}
