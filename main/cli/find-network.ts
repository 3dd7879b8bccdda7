import { NetworkName } from '../core/names';
import { lookupNetwork, type KvmnetNetwork } from '../core/plan/plan-context';
import type { HostNetworkState } from '../engine/host-network-state';
import type { CliIo } from './cli-io';
import { refuseInput } from './bad-input';

/** The KVMNet network a command names, or exit 2 saying why there is none to change. */
export function findNetwork(io: CliIo, state: HostNetworkState, name: string): KvmnetNetwork {
  const valid = NetworkName.safeParse(name);
  if (!valid.success) refuseInput(io, [{ field: 'name', message: `name ${JSON.stringify(name)}: ${valid.error.issues[0]?.message ?? 'not a network name'}` }]);
  const lookup = lookupNetwork(name, state.plan);
  if ('found' in lookup) return lookup.found;
  if ('foreign' in lookup) {
    refuseInput(io, [{
      field: 'name',
      message: `name "${name}" is a libvirt network KVMNet did not create; KVMNet shows it read-only, so change it with virsh (e.g. virsh net-destroy ${name})`,
    }]);
  }
  const known = state.listing.filter((n) => n.managed).map((n) => n.name);
  refuseInput(io, [{
    field: 'name',
    message: `name "${name}" is not a KVMNet network on this host; ${known.length ? `the KVMNet networks are ${known.join(', ')}` : 'there are none yet'} (kvmnet list shows them)`,
  }]);
}
