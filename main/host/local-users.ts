import { readFile } from 'node:fs/promises';

/**
 * Local user names and their uids from /etc/passwd. iproute2 prints a tap's owner as a user name
 * whenever it can resolve the uid; mapping the name back here costs one file read instead of one
 * sysfs read per tap. Names it cannot map (users from LDAP and the like) still go to sysfs.
 */
export function parsePasswd(text: string): Map<string, number> {
  const uids = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !uids.has(name)) uids.set(name, Number(uid));
  }
  return uids;
}

export async function readLocalUids(path = '/etc/passwd'): Promise<Map<string, number>> {
  return parsePasswd(await readFile(path, 'utf8').catch(() => ''));
}
