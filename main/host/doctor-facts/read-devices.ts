import { stat } from 'node:fs/promises';
import type { DeviceNode } from '../../core/doctor/doctor-facts';
import { readOptional } from './host-files';

export const DEVICE_PATHS = { kvm: '/dev/kvm', tun: '/dev/net/tun', vhostNet: '/dev/vhost-net' } as const;

/** gid → name from /etc/group lines "name:x:gid:members" */
export function parseGroupNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid !== undefined && /^\d+$/.test(gid)) names.set(Number(gid), name);
  }
  return names;
}

/** stat only: opening /dev/kvm can hang under nested virtualization, so nothing here opens it */
async function readDevice(path: string, groups: Map<number, string>): Promise<DeviceNode> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return { path, exists: false };
  const group = groups.get(s.gid);
  return { path, exists: true, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, ...(group !== undefined && { group }) };
}

export async function readDevices(paths: Record<keyof typeof DEVICE_PATHS, string> = DEVICE_PATHS, groupFile = '/etc/group') {
  const groups = parseGroupNames((await readOptional(groupFile)) ?? '');
  const [kvm, tun, vhostNet] = await Promise.all([readDevice(paths.kvm, groups), readDevice(paths.tun, groups), readDevice(paths.vhostNet, groups)]);
  return { kvm, tun, vhostNet };
}

/** vmx (Intel VT-x) or svm (AMD-V) among the CPU flags of /proc/cpuinfo */
export function parseCpuVirtualization(cpuinfo: string): 'vmx' | 'svm' | null {
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  return flags.includes('vmx') ? 'vmx' : flags.includes('svm') ? 'svm' : null;
}
