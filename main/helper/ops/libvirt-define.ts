import { renderLibvirtNetworkXml } from '../../core/render/libvirt-network-xml';
import { defineNetwork, readLibvirtNetwork } from '../libvirt-control';
import { bridgeMacOf, withBridgeMac } from '../libvirt-identity';
import type { HostOp } from './op';

/**
 * Defines (or redefines, keeping its uuid and bridge MAC) a libvirt network from the XML the helper renders
 * itself, tagged with KVMNet's metadata. The inverse puts back the previous definition, or
 * undefines a network that did not exist (or was only transient) before.
 */
export const libvirtDefine: HostOp<'libvirt.define'> = {
  check(step, state) {
    const { spec } = step;
    if (spec.backend !== 'libvirt') return { code: 'NOT_ALLOWED', field: 'spec.backend', message: 'only libvirt-backed networks are defined in libvirt; direct networks are run by the helper itself' };
    const existing = state.libvirt.get(spec.name);
    if (existing && !existing.managedByKvmnet) {
      return { code: 'NOT_OWNED', field: 'spec.name', message: `libvirt already has a network ${spec.name} that KVMNet did not define; choose another name` };
    }
    return undefined;
  },

  simulate(step, state) {
    const previous = state.libvirt.get(step.spec.name);
    const libvirt = new Map(state.libvirt);
    libvirt.set(step.spec.name, {
      name: step.spec.name, managedByKvmnet: true, persistent: true, active: previous?.active ?? false, autostart: previous?.autostart ?? false,
      bridge: step.spec.bridge, ...(step.spec.ipv4 && { subnet: step.spec.ipv4.subnet }),
    });
    return { ...state, libvirt };
  },

  async inverse(step, io) {
    const facts = await readLibvirtNetwork(io, step.spec.name);
    if (!facts?.persistent) return [{ ensure: 'libvirt.undefined', network: step.spec.name }];
    return [{ ensure: 'libvirt.defined', network: step.spec.name, xml: facts.xml }];
  },

  async run(step, io) {
    const facts = await readLibvirtNetwork(io, step.spec.name);
    if (facts && !facts.managedByKvmnet) throw new Error(`libvirt network ${step.spec.name} was defined by someone else meanwhile`);
    const rendered = renderLibvirtNetworkXml(step.spec, facts?.uuid === undefined ? {} : { uuid: facts.uuid });
    const mac = facts && bridgeMacOf(facts.xml);
    await defineNetwork(io, step.spec.name, mac === undefined ? rendered : withBridgeMac(rendered, mac));
    return facts ? 'redefined (same uuid and bridge MAC)' : 'defined';
  },
};
