import type { NetworkSpec } from '../core/network/network-spec';
import type { ApplyOutcome } from './apply';
import type { Plan } from './protocol';

export interface LibvirtForwardsDeps {
  /** every libvirt network's name */
  listNetworks(): Promise<string[]>;
  /** a KVMNet libvirt network's spec from its definition; undefined for networks that are not KVMNet's */
  readSpec(name: string): Promise<NetworkSpec | undefined>;
  apply(plan: Plan): Promise<ApplyOutcome>;
}

/**
 * `kvmnet-helper --restore-libvirt-forwards`, run by its boot unit after libvirtd: the forwards of
 * KVMNet's libvirt networks live in their definitions, and KVMNet's table (with the accept past
 * libvirt's reject) is rebuilt from them, one plan per network so one that fails keeps no other
 * down. Resolves with the number of networks that failed.
 */
export async function restoreLibvirtForwards(deps: LibvirtForwardsDeps, log: (line: string) => void): Promise<number> {
  let failed = 0;
  for (const name of await deps.listNetworks()) {
    try {
      const spec = await deps.readSpec(name);
      if (!spec?.forwards?.length || spec.kind !== 'nat') continue;
      const outcome = await deps.apply({ description: `port forwards of libvirt network ${name}`, steps: [{ op: 'nft.network', network: name, spec }] });
      if (outcome.ok) log(`${name}: ${spec.forwards.length} port forward(s) back`);
      else {
        failed++;
        log(`${name}: ${outcome.error.message}`);
      }
    } catch (e) {
      failed++;
      log(`${name}: could not put its forwards back: ${(e as Error).message}`);
    }
  }
  return failed;
}
