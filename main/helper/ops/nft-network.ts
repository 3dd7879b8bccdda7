import { renderNftablesTable } from '../../core/render/nftables-table';
import { readNftNetworks, replaceNftNetworks, withNetwork } from '../nft-network-set';
import { requireNetworkBridge } from '../ownership';
import { requireKvmnetLibvirtNetwork } from './libvirt-ownership';
import type { HostOp } from './op';

/**
 * Sets one network's rules in KVMNet's own `inet kvmnet` table (spec null removes them): the table
 * is rendered whole from the network set and replaces the previous one in one nft transaction.
 * Rules only ever name the network's own bridge, which must be KVMNet's and this network's; the
 * uplink is the user's NIC and is only matched, never changed. libvirt networks get their rules
 * from libvirt; a KVMNet libvirt NAT network is in the set only for its port forwards (DNAT here,
 * and the accept past libvirt's reject that goes with it, see libvirt-forward-accept.ts).
 */
export const nftNetwork: HostOp<'nft.network'> = {
  check(step, state) {
    const { spec } = step;
    if (spec === null) return undefined;
    if (spec.name !== step.network) return { code: 'INVALID_REQUEST', field: 'spec.name', message: `the spec is for network ${spec.name}, the step for ${step.network}; they must match` };
    if (spec.backend === 'libvirt') {
      if (spec.kind !== 'nat' || !spec.forwards?.length) {
        return { code: 'NOT_ALLOWED', field: 'spec.forwards', message: 'libvirt networks get their firewall rules from libvirt; KVMNet\'s table holds only the port forwards of its libvirt NAT networks' };
      }
      const notOurs = requireKvmnetLibvirtNetwork(state, spec.name);
      if (notOurs) return { ...notOurs, field: 'spec.name' };
      // DNAT may only lead into the subnet libvirt serves on that bridge, whatever the client claims
      const facts = state.libvirt.get(spec.name)!;
      if (facts.bridge !== spec.bridge || facts.subnet !== spec.ipv4?.subnet) {
        return { code: 'NOT_ALLOWED', field: 'spec.ipv4', message: `libvirt network ${spec.name} is ${facts.subnet ?? 'without IPv4'} on ${facts.bridge ?? 'no bridge'}; its forwards must lead there` };
      }
    }
    const refusal = spec.backend === 'direct' ? requireNetworkBridge(state.links, spec.bridge, spec.name, 'spec.bridge') : undefined;
    if (refusal) return refusal;
    try {
      renderNftablesTable([...withNetwork(state.nft, step.network, spec).values()]);
    } catch (e) {
      return { code: 'INVALID_REQUEST', field: 'spec.bridge', message: (e as Error).message };
    }
    return undefined;
  },

  simulate: (step, state) => ({ ...state, nft: withNetwork(state.nft, step.network, step.spec) }),

  async inverse(step, io) {
    return [{ ensure: 'nft.network', network: step.network, spec: (await readNftNetworks(io)).get(step.network) ?? null }];
  },

  async run(step, io) {
    const previous = await readNftNetworks(io);
    const next = withNetwork(previous, step.network, step.spec);
    await replaceNftNetworks(io, previous, next);
    return `table inet kvmnet now holds ${next.size} network(s)`;
  },
};
