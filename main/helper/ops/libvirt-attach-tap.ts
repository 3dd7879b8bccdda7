import { parseLibvirtNetworkXml } from '../../core/render/libvirt-network-xml';
import { ipLine } from '../ip-line';
import { readLibvirtNetwork } from '../libvirt-control';
import { ownerNetwork } from '../link-facts';
import { requireOwned } from '../ownership';
import { requireKvmnetLibvirtNetwork } from './libvirt-ownership';
import type { HostOp } from './op';

/**
 * Puts a guest tap of a KVMNet libvirt network on that network's bridge. libvirt made the bridge
 * and it carries no kvmnet: alias, so link.setMaster (owned links only) cannot; this step may,
 * because it takes the bridge's name from the definition of a network carrying KVMNet's metadata,
 * and only for a tap that network owns.
 */
export const libvirtAttachTap: HostOp<'libvirt.attachTap'> = {
  check(step, state) {
    const refusal = requireKvmnetLibvirtNetwork(state, step.network);
    if (refusal) return refusal;
    if (!state.libvirt.get(step.network)!.active) {
      return { code: 'NOT_ALLOWED', field: 'network', message: `libvirt network ${step.network} is not running, so it has no bridge; start it first (kvmnet start ${step.network})` };
    }
    const tap = requireOwned(state.links, step.tap, 'tap');
    if (tap) return tap;
    const link = state.links.get(step.tap)!;
    if (link.kind !== 'tap' || ownerNetwork(link) !== step.network) {
      return { code: 'NOT_OWNED', field: 'tap', message: `${step.tap} is not a tap of network ${step.network}` };
    }
    return undefined;
  },

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const link = (await io.readLinks()).get(step.tap);
    return [{ ensure: 'link.master', name: step.tap, master: link?.master ?? null }];
  },

  async run(step, io) {
    const facts = await readLibvirtNetwork(io, step.network);
    if (!facts?.managedByKvmnet) throw new Error(`libvirt network ${step.network} is gone or was redefined by someone else`);
    const bridge = parseLibvirtNetworkXml(facts.xml).bridge;
    if (bridge === undefined) throw new Error(`libvirt network ${step.network} names no bridge`);
    if ((await io.readLinks()).get(bridge)?.kind !== 'bridge') throw new Error(`the bridge ${bridge} of libvirt network ${step.network} does not exist; start the network first`);
    const outcome = await io.runIpBatch([ipLine('link', 'set', 'dev', step.tap, 'master', bridge)]);
    if (!outcome.ok) throw new Error(outcome.message);
    return `on ${bridge}`;
  },
};
