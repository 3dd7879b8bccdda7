import type { FieldIssue } from '../network/field-issue';
import type { NetworkSpec } from '../network/network-spec';
import { needsIpv6Forwarding } from './ip-forward';
import type { PlanContext } from './plan-context';

/**
 * Turning IPv6 forwarding on makes the host a router, and a router's kernel follows router
 * advertisements only on interfaces whose accept_ra is 2. An interface that learns its IPv6
 * route from them with accept_ra 1 (the default) would keep it only until its lifetime runs out:
 * the host would lose IPv6 a while after the network came up. KVMNet does not change the user's
 * interfaces, so the network is refused with the fix named, before anything runs.
 */
export function routerAdvertisementIssues(spec: NetworkSpec, context: Pick<PlanContext, 'ipv6' | 'snapshot'>): FieldIssue[] {
  const ipv6 = context.ipv6;
  if (!needsIpv6Forwarding(spec) || ipv6?.forwarding !== '0') return [];
  const learning = new Set(context.snapshot.routes.flatMap((r) => (r.family === 'inet6' && r.protocol === 'ra' && r.dev !== undefined ? [r.dev] : [])));
  return [...learning].filter((dev) => ipv6.acceptRa[dev] === '1').sort().map((dev) => ({
    field: 'ipv6',
    message: `ipv6: the network's IPv6 subnet needs IPv6 forwarding on, and with forwarding on the kernel ignores the router advertisements ${dev} learns its IPv6 route from (net.ipv6.conf.${dev}.accept_ra is 1), so this host would lose IPv6 once that route expires. Set net.ipv6.conf.${dev}.accept_ra=2 first (sysctl -w now, and a file in /etc/sysctl.d/ to keep it), or create the network without IPv6`,
  }));
}
