import { reloadDnsmasqHosts, startedSpec } from '../dnsmasq-control';
import { requireNetworkBridge } from '../ownership';
import type { HostOp } from './op';

/**
 * Makes the running dnsmasq of a direct network serve the spec's reservations: the dhcp-hostsfile
 * is rewritten and dnsmasq rereads it on SIGHUP, so leases and the daemon stay. The inverse puts
 * back the reservations of the spec it runs with now.
 */
export const dnsmasqHosts: HostOp<'dnsmasq.hosts'> = {
  check(step, state) {
    const { spec } = step;
    if (spec.backend !== 'direct') return { code: 'NOT_ALLOWED', field: 'spec.backend', message: 'libvirt serves the reservations of its own networks (libvirt.dhcpHost)' };
    const refusal = requireNetworkBridge(state.links, spec.bridge, spec.name, 'spec.bridge');
    if (refusal) return refusal;
    if (!state.dnsmasq.has(spec.name)) return { code: 'NOT_ALLOWED', field: 'spec.name', message: `no dnsmasq runs for network ${spec.name}; its reservations take effect when it starts` };
    return undefined;
  },

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const spec = await startedSpec(io, step.spec.name);
    if (!spec) throw new Error(`the dnsmasq of network ${step.spec.name} runs without the spec it was started from, so its reservations could not be put back; nothing was changed`);
    return [{ ensure: 'dnsmasq.hosts', spec }];
  },

  async run(step, io) {
    const pid = await reloadDnsmasqHosts(io, step.spec);
    return `dnsmasq ${pid} rereads ${step.spec.reservations?.length ?? 0} reservation(s)`;
  },
};
