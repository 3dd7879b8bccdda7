import { ipLine } from '../ip-line';
import { withLink } from '../link-model';
import { requireOwned } from '../ownership';
import type { IpOp } from './op';

/** Attaches an owned link to an owned bridge, or detaches it (master null). */
export const linkSetMaster: IpOp<'link.setMaster'> = {
  check: (step, links) => requireOwned(links, step.name, 'name') ?? (step.master === null ? undefined : requireOwned(links, step.master, 'master')),

  simulate: (step, links) =>
    withLink(links, step.name, (link) => {
      const { master: _previous, ...rest } = link;
      return step.master === null ? rest : { ...rest, master: step.master };
    }),

  inverse: (step, links) => [{ ensure: 'link.master', name: step.name, master: links.get(step.name)?.master ?? null }],

  lines: (step) => [step.master === null ? ipLine('link', 'set', 'dev', step.name, 'nomaster') : ipLine('link', 'set', 'dev', step.name, 'master', step.master)],
};
