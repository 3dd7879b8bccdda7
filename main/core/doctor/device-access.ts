import type { DeviceNode, UserFacts } from './doctor-facts';

/** whether `user` may open the device for reading and writing, by its owner, group and mode bits */
export function userCanOpen(node: Extract<DeviceNode, { exists: true }>, user: UserFacts): boolean {
  if (user.uid === 0) return true;
  const rw = (shift: number) => ((node.mode >> shift) & 0o6) === 0o6;
  if (node.uid === user.uid) return rw(6);
  if (user.gids.includes(node.gid)) return rw(3);
  return rw(0);
}

/** the group that grants access, by name when it has one; usermod takes either */
export const deviceGroup = (node: Extract<DeviceNode, { exists: true }>): string => node.group ?? String(node.gid);

export const modeText = (mode: number): string => `0${(mode & 0o777).toString(8)}`;
