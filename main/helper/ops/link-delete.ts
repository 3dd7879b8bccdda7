import { ipLine } from '../ip-line';
import { isOwned, ownerNetwork, restorableAddresses, type LinkFacts, type LinkMap } from '../link-facts';
import { withoutLinks } from '../link-model';
import { requireOwned } from '../ownership';
import type { Undo } from '../undo';
import type { IpOp } from './op';

const pairOf = (link: LinkFacts, links: LinkMap): LinkFacts[] => {
  const peer = link.peer === undefined ? undefined : links.get(link.peer);
  return peer ? [link, peer] : [link];
};

/**
 * Deletes an owned bridge, tap or veth pair. Its inverse recreates it as it was: same kind, MAC,
 * stp and forward delay, tap user, alias, per-interface sysctls, master, ports, MTU, addresses and up state (and the
 * same for a veth's peer, which the kernel deletes along with it).
 */
export const linkDelete: IpOp<'link.delete'> = {
  check(step, links) {
    const refusal = requireOwned(links, step.name, 'name');
    if (refusal) return refusal;
    const link = links.get(step.name)!;
    if (link.kind === 'other') {
      return { code: 'NOT_ALLOWED', field: 'name', message: `${step.name} is not a bridge, tap or veth, so the helper could not recreate it on rollback; delete it by hand` };
    }
    const peer = link.peer === undefined ? undefined : links.get(link.peer);
    if (link.kind === 'veth' && !peer) {
      return { code: 'NOT_ALLOWED', field: 'name', message: `the peer of veth ${step.name} is in another namespace, so the helper could not recreate the pair on rollback` };
    }
    if (peer && !isOwned(peer)) {
      return { code: 'NOT_OWNED', field: 'name', message: `deleting ${step.name} would also delete its veth peer ${peer.name}, which is not KVMNet's` };
    }
    return undefined;
  },

  simulate(step, links) {
    const link = links.get(step.name);
    return link ? withoutLinks(links, pairOf(link, links).map((l) => l.name)) : links;
  },

  inverse(step, links) {
    const link = links.get(step.name);
    if (!link || link.kind === 'other') return [];
    const pair = pairOf(link, links);
    const names = pair.map((l) => l.name);
    const peer = pair[1];
    const undo: Undo[] = [{
      ensure: 'link.present',
      name: link.name,
      kind: link.kind,
      ...(link.mac ? { mac: link.mac } : {}),
      ...(link.stp ? { stp: true } : {}),
      ...(link.forwardDelay !== undefined ? { forwardDelay: link.forwardDelay } : {}),
      ...(link.tapUser !== undefined ? { user: link.tapUser } : {}),
      ...(peer ? { peer: peer.name, ...(peer.mac ? { peerMac: peer.mac } : {}) } : {}),
    }];
    for (const l of pair) {
      const network = ownerNetwork(l);
      if (network) undo.push({ ensure: 'link.alias', name: l.name, network });
    }
    for (const l of pair) {
      for (const [path, value] of Object.entries(l.sysctls ?? {})) undo.push({ ensure: 'sysctl', path, value });
    }
    for (const l of pair) {
      if (l.master !== undefined) undo.push({ ensure: 'link.master', name: l.name, master: l.master });
    }
    for (const port of links.values()) {
      if (port.master !== undefined && names.includes(port.master) && !names.includes(port.name)) {
        undo.push({ ensure: 'link.master', name: port.name, master: port.master });
      }
    }
    // after the ports: a bridge's MTU follows its ports unless set by hand, and only a real
    // difference should pin it
    for (const l of pair) undo.push({ ensure: 'link.mtu', name: l.name, mtu: l.mtu });
    for (const l of pair) {
      for (const a of restorableAddresses(l)) undo.push({ ensure: 'addr.present', dev: l.name, address: a.cidr });
    }
    for (const l of pair) undo.push({ ensure: 'link.up', name: l.name, up: l.up });
    return undo;
  },

  lines: (step) => [ipLine('link', 'delete', 'dev', step.name)],
};
