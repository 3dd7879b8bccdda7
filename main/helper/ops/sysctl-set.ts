import { restorableAddresses, isOwned, type LinkMap } from '../link-facts';
import { propagatingForwardingFamily, sysctlTarget } from '../sysctl-key';
import type { Undo } from '../undo';
import type { Refusal, StepOf } from './op';

type SysctlSet = StepOf<'sysctl.set'>;

/** What the kernel holds just before the write, read by the executor. */
export interface SysctlReading {
  /** undefined when the file does not exist (the write will fail) */
  previous: string | undefined;
  /** every net/<family>/conf/<x>/forwarding value, for the keys whose write the kernel copies to all of them */
  forwarding: Record<string, string>;
}

/** exists whenever the kernel has IPv6 at all; booted with ipv6.disable=1 there is no net/ipv6 */
export const IPV6_PRESENCE_PATH = 'net/ipv6/conf/all/disable_ipv6';

/**
 * Writes one allowlisted sysctl. Per-interface keys are allowed only on links KVMNet owns, and
 * proxy_arp also on the uplink of a proxy-ARP network the plan names, which the user chose (or, in a
 * plan of proxy_arp switches alone, that an existing proxy-ARP network's record names). Writing
 * ip_forward or ipv6 all.forwarding overwrites every interface's own forwarding flag, so the
 * inverse restores those flags too, after the global key.
 */
export const sysctlSet = {
  check(step: SysctlSet, links: LinkMap, proxyArpUplinks: ReadonlySet<string> = new Set()): Refusal | undefined {
    const target = sysctlTarget(step.key);
    if (!target) return { code: 'NOT_ALLOWED', field: 'key', message: `${step.key} is not on the helper's sysctl allowlist` };
    const chosenUplink = target.iface !== undefined && target.path === `net/ipv4/conf/${target.iface}/proxy_arp` && proxyArpUplinks.has(target.iface);
    if (target.iface !== undefined && !isOwned(links.get(target.iface)) && !chosenUplink) {
      return {
        code: 'NOT_ALLOWED', field: 'key',
        message: `${target.iface} is not a KVMNet link; the helper changes per-interface settings only on links it created (and proxy_arp on the uplink of a proxy-ARP network in the plan or, alone in a plan, of an existing one)`,
      };
    }
    return undefined;
  },

  /**
   * Why the write is not needed, when it is not: turning IPv6 off on an interface of a kernel that
   * has no IPv6 (no /proc/sys/net/ipv6 to write to) is already the case.
   */
  satisfiedWithoutWrite(step: SysctlSet, ipv6Present: boolean): string | undefined {
    const target = sysctlTarget(step.key);
    if (ipv6Present || target?.family !== 'ipv6' || !target.path.endsWith('/disable_ipv6') || step.value !== '1') return undefined;
    return 'IPv6 is off in this kernel (booted with ipv6.disable=1): nothing to turn off';
  },

  inverse(step: SysctlSet, reading: SysctlReading, links: LinkMap): Undo[] {
    const target = sysctlTarget(step.key);
    if (!target || reading.previous === undefined) return [];
    const undo: Undo[] = [{ ensure: 'sysctl', path: target.path, value: reading.previous }];
    const family = propagatingForwardingFamily(target);
    if (family) {
      for (const [path, value] of Object.entries(reading.forwarding)) {
        if (path !== `net/${family}/conf/all/forwarding`) undo.push({ ensure: 'sysctl', path, value });
      }
    }
    const link = target.iface === undefined ? undefined : links.get(target.iface);
    if (link && target.path.endsWith('/disable_ipv6')) {
      // disabling IPv6 drops the link's IPv6 addresses; enabling it again does not bring them back
      for (const a of restorableAddresses(link)) if (a.family === 'inet6') undo.push({ ensure: 'addr.present', dev: link.name, address: a.cidr });
    }
    return undo;
  },
};
