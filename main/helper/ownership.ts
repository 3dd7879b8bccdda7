import { isOwned, type LinkMap } from './link-facts';
import type { Refusal } from './ops/op';

/** The helper changes only links that carry a kvmnet: alias, whether they exist now or an earlier step creates them. */
export function requireOwned(links: LinkMap, name: string, field: string): Refusal | undefined {
  const link = links.get(name);
  if (!link) return { code: 'NOT_OWNED', field, message: `${name} does not exist and no earlier step of the plan creates it` };
  if (!isOwned(link)) {
    return { code: 'NOT_OWNED', field, message: `${name} is not a KVMNet link (it has no kvmnet: alias); KVMNet changes only links it created` };
  }
  return undefined;
}
