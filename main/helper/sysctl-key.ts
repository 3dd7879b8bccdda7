import { z } from 'zod';
import { SYSCTL_ALLOWLIST } from './protocol';

/**
 * Sysctl keys as paths under /proc/sys. Interface names may contain dots, so a key is never
 * turned into a path by replacing every dot: the interface comes from the allowlist's named group.
 */
export interface SysctlTarget {
  /** path under /proc/sys, e.g. net/ipv4/conf/kvbr0/forwarding */
  path: string;
  /** the interface a per-interface key names */
  iface?: string;
  family: 'ipv4' | 'ipv6';
}

export function sysctlTarget(key: string): SysctlTarget | undefined {
  for (const re of SYSCTL_ALLOWLIST) {
    const match = re.exec(key);
    if (!match) continue;
    const family = key.startsWith('net.ipv6.') ? 'ipv6' : 'ipv4';
    const iface = match.groups?.if;
    if (iface === undefined) return { path: key.replaceAll('.', '/'), family };
    const setting = key.slice(key.lastIndexOf('.') + 1);
    return { path: `net/${family}/conf/${iface}/${setting}`, iface, family };
  }
  return undefined;
}

/** per-interface settings captured before an owned link is deleted, so it comes back as it was */
export const PER_INTERFACE_SYSCTLS = {
  ipv4: ['forwarding', 'proxy_arp', 'rp_filter'],
  ipv6: ['forwarding', 'disable_ipv6', 'accept_ra'],
} as const;

export const perInterfaceSysctlPaths = (iface: string): string[] =>
  (['ipv4', 'ipv6'] as const).flatMap((family) => PER_INTERFACE_SYSCTLS[family].map((s) => `net/${family}/conf/${iface}/${s}`));

/** keys whose write the kernel copies to every interface of the family */
export const propagatingForwardingFamily = (target: SysctlTarget): 'ipv4' | 'ipv6' | undefined =>
  target.path === 'net/ipv4/ip_forward' ? 'ipv4' : target.path === 'net/ipv6/conf/all/forwarding' ? 'ipv6' : undefined;

const CONF_ENTRY = '(?!\\.\\.?/)[^/\\s]{1,15}';
/**
 * What an inverse may write back, read again from the journal at recovery: the allowlisted keys
 * plus the per-interface forwarding flags a global forwarding write overwrote.
 */
export const SysctlPath = z
  .string()
  .max(80)
  .regex(
    new RegExp(`^net/(ipv4/ip_forward|ipv6/conf/all/forwarding|ipv4/conf/${CONF_ENTRY}/(forwarding|proxy_arp|rp_filter)|ipv6/conf/${CONF_ENTRY}/(forwarding|disable_ipv6|accept_ra))$`),
    { message: 'not a sysctl path the helper restores' },
  );
