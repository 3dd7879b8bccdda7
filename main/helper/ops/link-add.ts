import { ownerAlias } from '../../core/names';
import { ipLine } from '../ip-line';
import { isOwned, type LinkFacts } from '../link-facts';
import { withLinks } from '../link-model';
import type { IpOp, StepOf } from './op';

type LinkAdd = StepOf<'link.add'>;

const newNames = (step: LinkAdd): string[] => (step.kind === 'veth' ? [step.name, step.peer] : [step.name]);

/**
 * Creates a bridge, a tap (optionally openable by an unprivileged uid, so QEMU need not run as
 * root, and with a MAC of its own) or a veth pair, and marks it ours at once: the kernel ignores `alias` on `ip link add`, so
 * the alias is the next line of the same batch. Bridges forward as soon as a port is up (forward
 * delay 0, as libvirt does): with the kernel's 15 s delay a guest's first DHCP request is lost.
 */
export const linkAdd: IpOp<'link.add'> = {
  check(step, links) {
    if (step.kind === 'veth' && step.peer === step.name) {
      return { code: 'INVALID_REQUEST', field: 'peer', message: 'the veth peer needs a name of its own; pick one different from name' };
    }
    for (const [field, name] of [['name', step.name], ...(step.kind === 'veth' ? [['peer', step.peer]] : [])] as const) {
      if (links.has(name) && !isOwned(links.get(name))) {
        return { code: 'NOT_OWNED', field, message: `a link named ${name} already exists and is not KVMNet's; choose another name` };
      }
    }
    return undefined;
  },

  simulate(step, links) {
    // the kernel refuses a name in use; the existing (owned) link stays what later steps see
    if (newNames(step).some((n) => links.has(n))) return links;
    const base = { mtu: step.mtu ?? 1500, up: false, alias: ownerAlias(step.network), addresses: [] };
    const created: LinkFacts[] =
      step.kind === 'veth'
        ? [{ ...base, name: step.name, kind: 'veth', peer: step.peer }, { ...base, name: step.peer, kind: 'veth', peer: step.name }]
        : [{
          ...base, name: step.name, kind: step.kind,
          ...(step.kind === 'tap' && step.user !== undefined ? { tapUser: step.user } : {}),
          ...(step.kind === 'tap' && step.mac !== undefined ? { mac: step.mac } : {}),
        }];
    return withLinks(links, created);
  },

  inverse(step, links) {
    // a name already in use means the kernel will refuse: there is nothing of this step to undo,
    // and the link that holds the name must survive the rollback
    if (newNames(step).some((n) => links.has(n))) return [];
    return [{ ensure: 'link.absent', name: step.name, network: step.network }];
  },

  lines(step, context) {
    const alias = (name: string) => ipLine('link', 'set', 'dev', name, 'alias', ownerAlias(step.network));
    const mtu = (name: string) => (step.mtu === undefined ? [] : [ipLine('link', 'set', 'dev', name, 'mtu', String(step.mtu))]);
    switch (step.kind) {
      case 'bridge':
        return [
          ipLine('link', 'add', 'name', step.name, 'address', context.bridgeMac(), 'type', 'bridge', 'forward_delay', '0', ...(step.stp === undefined ? [] : ['stp_state', step.stp ? '1' : '0'])),
          alias(step.name),
          ...mtu(step.name),
        ];
      case 'tap':
        return [
          ipLine('tuntap', 'add', 'dev', step.name, 'mode', 'tap', ...(step.user === undefined ? [] : ['user', String(step.user)])),
          ...(step.mac === undefined ? [] : [ipLine('link', 'set', 'dev', step.name, 'address', step.mac)]),
          alias(step.name),
          ...mtu(step.name),
        ];
      case 'veth':
        return [
          ipLine('link', 'add', 'name', step.name, 'type', 'veth', 'peer', 'name', step.peer),
          alias(step.name),
          alias(step.peer),
          ...mtu(step.name),
          ...mtu(step.peer),
        ];
    }
  },
};
