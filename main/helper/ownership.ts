import { isOwned, ownerNetwork, type LinkMap } from './link-facts';
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

/** A network's dnsmasq and firewall rules attach to its own bridge only, never to a foreign or another network's link. */
export function requireNetworkBridge(links: LinkMap, bridge: string, network: string, field: string): Refusal | undefined {
  const refusal = requireOwned(links, bridge, field);
  if (refusal) return refusal;
  const owner = ownerNetwork(links.get(bridge)!);
  if (owner !== network) return { code: 'NOT_OWNED', field, message: `${bridge} belongs to the KVMNet network ${owner}, not to ${network}` };
  return undefined;
}
