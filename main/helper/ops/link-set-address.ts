import { ipLine } from '../ip-line';
import { withLink } from '../link-model';
import { requireOwned } from '../ownership';
import type { IpOp } from './op';

/** Gives an owned link another MAC address; the inverse sets the one it had back. */
export const linkSetAddress: IpOp<'link.setAddress'> = {
  check: (step, links) => requireOwned(links, step.name, 'name'),

  simulate: (step, links) => withLink(links, step.name, (link) => ({ ...link, mac: step.mac })),

  inverse(step, links) {
    const mac = links.get(step.name)?.mac;
    return mac === undefined ? [] : [{ ensure: 'link.mac', name: step.name, mac }];
  },

  lines: (step) => [ipLine('link', 'set', 'dev', step.name, 'address', step.mac)],
};
