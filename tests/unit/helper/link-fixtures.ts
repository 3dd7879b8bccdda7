import type { LinkFacts, LinkMap } from '../../../main/helper/link-facts';
import { toLinkMap } from '../../../main/helper/link-facts';

/** Plain LinkFacts for pure tests: an owned, down bridge unless told otherwise. */
export const fact = (name: string, extra: Partial<LinkFacts> = {}): LinkFacts => ({
  name, kind: 'bridge', mtu: 1500, up: false, alias: 'kvmnet:lab', addresses: [], ...extra,
});

export const host = (...links: LinkFacts[]): LinkMap => toLinkMap(links);
