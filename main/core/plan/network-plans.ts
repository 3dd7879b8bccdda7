import type { NetworkSpec } from '../network/network-spec';
import type { Plan, Step } from '../../helper/protocol';
import { directBringUpSteps, directTearDownSteps } from './direct-network';
import { directTapsBackSteps, libvirtTapsBackSteps, tapRemovalSteps } from './guest-taps';
import { forwardingOnDelete, withForwardingMemory } from './ip-forward';
import { libvirtCreateSteps, libvirtDeleteSteps, libvirtStartSteps, libvirtStopSteps } from './libvirt-network';
import { networkName, type KvmnetNetwork, type PlanContext } from './plan-context';

/**
 * Plans for the four things a user does to a network. Pure: the context holds everything read
 * from the host. A plan with no steps means there is nothing to do (starting a running network);
 * callers report that instead of sending it (the protocol wants at least one step).
 *
 * Direct networks: the running part (direct-network.ts), then record.write, then boot.unit. The
 * record says a network exists, so it is written only once everything it describes is in place;
 * the boot unit restores records, so it is enabled last, and only with the first direct network
 * (disabled with the last). Deleting is creating read backwards, so a delete that fails and rolls
 * back passes through the same states a create does.
 */
export const RECORD_VERSION = 1;

export function planCreate(spec: NetworkSpec, context: PlanContext): Plan {
  const description = `create network ${spec.name} (${spec.kind}, ${spec.backend})`;
  if (spec.backend === 'libvirt') return { description, steps: libvirtCreateSteps(spec) };
  const record = withForwardingMemory({ version: RECORD_VERSION, spec }, context);
  const firstDirect = context.records.every((r) => r.spec.name === spec.name);
  return {
    description,
    steps: [
      ...directBringUpSteps(spec, context),
      { op: 'record.write', record },
      ...(firstDirect ? [{ op: 'boot.unit', enabled: true } as const] : []),
    ],
  };
}

export function planDelete(network: KvmnetNetwork, context: PlanContext): Plan {
  const description = `delete network ${networkName(network)}`;
  const taps = tapRemovalSteps(network, context.snapshot);
  if (network.backend === 'libvirt') {
    const name = network.network.name;
    const forwarded = context.forwardedLibvirt?.includes(name) ?? false;
    const lastForwarded = forwarded && !context.forwardedLibvirt?.some((n) => n !== name);
    const forwardSteps: Step[] = [
      ...(lastForwarded ? [{ op: 'boot.forwardsUnit', enabled: false } as const] : []),
      ...(forwarded ? [{ op: 'nft.network', network: name, spec: null } as const] : []),
    ];
    return { description, steps: [...taps, ...forwardSteps, ...libvirtDeleteSteps(network.network)] };
  }
  const { record, active } = network;
  const name = record.spec.name;
  const lastDirect = context.records.every((r) => r.spec.name === name);
  const forwarding = forwardingOnDelete(record, context);
  const steps: Step[] = [
    ...(lastDirect ? [{ op: 'boot.unit', enabled: false } as const] : []),
    { op: 'record.delete', network: name },
    ...forwarding.handovers.map((heir) => ({ op: 'record.write', record: heir }) as const),
    ...taps,
    ...(active ? directTearDownSteps(record.spec, forwarding.restore) : forwarding.restore),
  ];
  return { description, steps };
}

export function planStart(network: KvmnetNetwork, context: PlanContext): Plan {
  const description = `start network ${networkName(network)}`;
  if (network.backend === 'libvirt') {
    const taps = network.network.active ? [] : libvirtTapsBackSteps(network.network.name, context.snapshot);
    return { description, steps: [...libvirtStartSteps(network.network), ...taps] };
  }
  if (network.active) return { description, steps: [] };
  const record = withForwardingMemory(network.record, context);
  return {
    description,
    steps: [
      ...directBringUpSteps(record.spec, context),
      ...directTapsBackSteps(record, context.snapshot),
      ...(record === network.record ? [] : [{ op: 'record.write', record } as const]),
    ],
  };
}

/** Stopping leaves ip_forward alone: the network still exists and will need it when it starts again. */
export function planStop(network: KvmnetNetwork): Plan {
  const description = `stop network ${networkName(network)}`;
  if (network.backend === 'libvirt') return { description, steps: libvirtStopSteps(network.network) };
  return { description, steps: network.active ? directTearDownSteps(network.record.spec) : [] };
}
