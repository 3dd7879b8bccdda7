import type { LinkFacts, LinkMap } from './link-facts';

/** Immutable updates of a LinkMap, for the plan simulation that validation and inverses share. */
export function withLink(links: LinkMap, name: string, update: (link: LinkFacts) => LinkFacts): LinkMap {
  const link = links.get(name);
  if (!link) return links;
  const next = new Map(links);
  next.set(name, update(link));
  return next;
}

export function withLinks(links: LinkMap, added: readonly LinkFacts[]): LinkMap {
  const next = new Map(links);
  for (const link of added) next.set(link.name, link);
  return next;
}

/** removes links; ports of a removed bridge lose their master, as in the kernel */
export function withoutLinks(links: LinkMap, names: readonly string[]): LinkMap {
  const next = new Map<string, LinkFacts>();
  for (const [name, link] of links) {
    if (names.includes(name)) continue;
    if (link.master !== undefined && names.includes(link.master)) {
      const { master: _gone, ...rest } = link;
      next.set(name, rest);
    } else next.set(name, link);
  }
  return next;
}
