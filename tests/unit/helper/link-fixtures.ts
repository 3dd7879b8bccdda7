import type { LinkFacts, LinkMap } from '../../../main/helper/link-facts';
import type { PlanState } from '../../../main/helper/plan-state';
import { toLinkMap } from '../../../main/helper/link-facts';

/** Plain LinkFacts for pure tests: an owned, down bridge unless told otherwise. */
export const fact = (name: string, extra: Partial<LinkFacts> = {}): LinkFacts => ({
  name, kind: 'bridge', mtu: 1500, up: false, alias: 'kvmnet:lab', addresses: [], ...extra,
});

export const host = (...links: LinkFacts[]): LinkMap => toLinkMap(links);

/** a host with these links and nothing of KVMNet's besides: no firewall networks, dnsmasq or libvirt networks */
export const planState = (links: LinkMap, extra: Partial<PlanState> = {}): PlanState => ({ links, nft: new Map(), dnsmasq: new Set(), libvirt: new Map(), ...extra });
