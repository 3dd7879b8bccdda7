import { join } from 'node:path';
import type { DoctorFacts } from '../../core/doctor/doctor-facts';
import { readOptional } from './host-files';

const FILES = {
  ipForward: 'net/ipv4/ip_forward',
  bridgeNfCallIptables: 'net/bridge/bridge-nf-call-iptables',
  bridgeNfCallIp6tables: 'net/bridge/bridge-nf-call-ip6tables',
  bridgeNfCallArptables: 'net/bridge/bridge-nf-call-arptables',
} as const;

/** each value trimmed, or null when its file is missing (the net.bridge ones exist only with br_netfilter) */
export async function readSysctls(root = '/proc/sys'): Promise<DoctorFacts['sysctls']> {
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([key, file]) => [key, (await readOptional(join(root, file)))?.trim() ?? null] as const),
  );
  return Object.fromEntries(entries) as DoctorFacts['sysctls'];
}
