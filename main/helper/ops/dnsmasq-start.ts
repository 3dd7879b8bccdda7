import { leasesPath } from '../../core/paths';
import { runningDnsmasq, startDnsmasq } from '../dnsmasq-control';
import { requireNetworkBridge } from '../ownership';
import type { Undo } from '../undo';
import type { HostOp } from './op';

/**
 * Starts the DHCP and DNS server of a direct network on its bridge. The inverse stops it and, when
 * the lease file did not exist before, removes the one dnsmasq created.
 */
export const dnsmasqStart: HostOp<'dnsmasq.start'> = {
  check(step, state) {
    const { spec } = step;
    if (spec.backend !== 'direct') return { code: 'NOT_ALLOWED', field: 'spec.backend', message: 'libvirt runs the dnsmasq of its own networks; KVMNet starts one only for direct networks' };
    if (spec.ipv4 === null) return { code: 'INVALID_REQUEST', field: 'spec.ipv4', message: `network ${spec.name} is isolated: with no host address there is nothing for dnsmasq to serve` };
    const refusal = requireNetworkBridge(state.links, spec.bridge, spec.name, 'spec.bridge');
    if (refusal) return refusal;
    if (state.dnsmasq.has(spec.name)) return { code: 'NOT_ALLOWED', field: 'spec.name', message: `a dnsmasq for network ${spec.name} is already running; stop it first (dnsmasq.stop)` };
    return undefined;
  },

  simulate: (step, state) => ({ ...state, dnsmasq: new Set([...state.dnsmasq, step.spec.name]) }),

  async inverse(step, io) {
    const leases = leasesPath(step.spec.name);
    const undo: Undo[] = [{ ensure: 'dnsmasq.stopped', network: step.spec.name }];
    if ((await io.readText(leases)) === undefined) undo.push({ ensure: 'file', path: leases, content: null });
    return undo;
  },

  async run(step, io) {
    // checked again here: another dnsmasq may have started since the plan was validated
    const already = await runningDnsmasq(io, step.spec.name);
    if (already !== undefined) throw new Error(`a dnsmasq for network ${step.spec.name} is already running (pid ${already})`);
    return `dnsmasq ${await startDnsmasq(io, step.spec)} serves ${step.spec.bridge}`;
  },
};
