import type { Route } from '../core/host-snapshot';
import type { IpRouteEntry } from './iproute2-json';

/** `ip -j route show` does not say the family; the caller knows which of -4/-6 it asked for. */
export function parseRoutes(entries: readonly IpRouteEntry[], family: Route['family']): Route[] {
  return entries.map((r) => ({
    family,
    dst: r.dst,
    ...(r.gateway ? { gateway: r.gateway } : {}),
    ...(r.dev ? { dev: r.dev } : {}),
    ...(r.protocol ? { protocol: r.protocol } : {}),
    ...(r.scope ? { scope: r.scope } : {}),
    ...(r.metric === undefined ? {} : { metric: r.metric }),
    ...(r.table ? { table: r.table } : {}),
  }));
}
