import { canonicalCidr, parseCidr } from '../cidr';
import { ipLine } from '../ip-line';
import { withLink } from '../link-model';
import { requireOwned } from '../ownership';
import type { IpOp, Refusal } from './op';

export function checkAddress(address: string): Refusal | undefined {
  return parseCidr(address)
    ? undefined
    : { code: 'INVALID_REQUEST', field: 'address', message: `${address} is not an address: write ADDRESS/PREFIX with a prefix up to 32 for IPv4 or 128 for IPv6, e.g. 10.80.0.1/24` };
}

/** Adds an address to an owned link. */
export const addrAdd: IpOp<'addr.add'> = {
  check: (step, links) => checkAddress(step.address) ?? requireOwned(links, step.dev, 'dev'),

  simulate(step, links) {
    const parsed = parseCidr(step.address);
    if (!parsed) return links;
    return withLink(links, step.dev, (link) =>
      link.addresses.some((a) => a.cidr === parsed.cidr) ? link : { ...link, addresses: [...link.addresses, { ...parsed, scope: 'global' }] });
  },

  inverse(step, links) {
    const address = canonicalCidr(step.address);
    // already there: the kernel refuses the add, and the address that was there must stay
    if (links.get(step.dev)?.addresses.some((a) => a.cidr === address)) return [];
    return [{ ensure: 'addr.absent', dev: step.dev, address }];
  },

  lines: (step) => [ipLine('address', 'add', canonicalCidr(step.address), 'dev', step.dev)],
};
