import { ownerAlias } from '../../core/names';
import { ipLine } from '../ip-line';
import { ownerNetwork } from '../link-facts';
import { withLink } from '../link-model';
import { requireOwned } from '../ownership';
import type { IpOp } from './op';

/** Moves an owned link to another KVMNet network; it never claims a link that is not ours. */
export const linkSetAlias: IpOp<'link.setAlias'> = {
  check: (step, links) => requireOwned(links, step.name, 'name'),

  simulate: (step, links) => withLink(links, step.name, (link) => ({ ...link, alias: ownerAlias(step.network) })),

  inverse(step, links) {
    const link = links.get(step.name);
    const network = link && ownerNetwork(link);
    return network ? [{ ensure: 'link.alias', name: step.name, network }] : [];
  },

  lines: (step) => [ipLine('link', 'set', 'dev', step.name, 'alias', ownerAlias(step.network))],
};
