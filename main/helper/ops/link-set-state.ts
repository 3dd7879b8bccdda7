import { ipLine } from '../ip-line';
import { restorableAddresses } from '../link-facts';
import { withLink } from '../link-model';
import { requireOwned } from '../ownership';
import type { IpOp } from './op';

/**
 * Sets an owned link up or down. Taking a link down makes the kernel drop its IPv6 addresses, so
 * the inverse of `down` also puts the configured ones back.
 */
export const linkSetState: IpOp<'link.setState'> = {
  check: (step, links) => requireOwned(links, step.name, 'name'),

  simulate: (step, links) =>
    withLink(links, step.name, (link) => ({
      ...link,
      up: step.up,
      addresses: step.up ? link.addresses : link.addresses.filter((a) => a.family !== 'inet6'),
    })),

  inverse(step, links) {
    const link = links.get(step.name);
    if (!link) return [];
    const lostV6 = link.up && !step.up ? restorableAddresses(link).filter((a) => a.family === 'inet6') : [];
    // addresses first, as a plan adds them: on a link without carrier the kernel's IPv6 routes
    // depend on whether an address arrived before or after the link came up
    return [
      ...lostV6.map((a) => ({ ensure: 'addr.present' as const, dev: step.name, address: a.cidr })),
      { ensure: 'link.up', name: step.name, up: link.up },
    ];
  },

  lines: (step) => [ipLine('link', 'set', 'dev', step.name, step.up ? 'up' : 'down')],
};
