import { canonicalCidr } from '../cidr';
import { ipLine } from '../ip-line';
import { withLink } from '../link-model';
import { requireOwned } from '../ownership';
import { checkAddress } from './addr-add';
import type { IpOp } from './op';

/** Removes an address from an owned link. */
export const addrDelete: IpOp<'addr.delete'> = {
  check: (step, links) => checkAddress(step.address) ?? requireOwned(links, step.dev, 'dev'),

  simulate: (step, links) =>
    withLink(links, step.dev, (link) => ({ ...link, addresses: link.addresses.filter((a) => a.cidr !== canonicalCidr(step.address)) })),

  inverse(step, links) {
    const address = canonicalCidr(step.address);
    return links.get(step.dev)?.addresses.some((a) => a.cidr === address) ? [{ ensure: 'addr.present', dev: step.dev, address }] : [];
  },

  lines: (step) => [ipLine('address', 'del', canonicalCidr(step.address), 'dev', step.dev)],
};
