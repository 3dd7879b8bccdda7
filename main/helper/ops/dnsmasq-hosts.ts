import { NetworkSpec } from '../../core/network/network-spec';
import { reloadDnsmasqHosts, startedSpec } from '../dnsmasq-control';
import type { HostIo } from '../host-io';
import { requireNetworkBridge } from '../ownership';
import type { HostOp, StepOf } from './op';

type Hosts = StepOf<'dnsmasq.hosts'>;

/**
 * The spec the network's dnsmasq runs with, its reservations replaced by the step's: everything
 * else comes from what the helper itself saved when it started that dnsmasq, so a request can
 * change nothing but the hosts file. Throws when the two cannot be one valid network.
 */
async function specWithHosts(step: Hosts, io: HostIo): Promise<{ started: NetworkSpec; next: NetworkSpec }> {
  const started = await startedSpec(io, step.network);
  if (!started) throw new Error(`the dnsmasq of network ${step.network} runs without the spec it was started from, so its reservations could not be put back; nothing was changed`);
  if (started.bridge !== step.bridge) throw new Error(`the dnsmasq of network ${step.network} serves ${started.bridge}, not ${step.bridge}; nothing was changed`);
  const { reservations: _old, ...rest } = started;
  const parsed = NetworkSpec.safeParse({ ...rest, ...(step.reservations.length > 0 && { reservations: step.reservations }) });
  if (!parsed.success) throw new Error(`the reservations do not fit network ${step.network}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return { started, next: parsed.data };
}

/**
 * Makes the running dnsmasq of a direct network serve the step's reservations: the dhcp-hostsfile
 * is rewritten and dnsmasq rereads it on SIGHUP, so leases and the daemon stay. The inverse puts
 * back the reservations of the spec it runs with now.
 */
export const dnsmasqHosts: HostOp<'dnsmasq.hosts'> = {
  check(step, state) {
    const refusal = requireNetworkBridge(state.links, step.bridge, step.network, 'bridge');
    if (refusal) return refusal;
    if (!state.dnsmasq.has(step.network)) return { code: 'NOT_ALLOWED', field: 'network', message: `no dnsmasq runs for network ${step.network}; its reservations take effect when it starts` };
    return undefined;
  },

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const { started } = await specWithHosts(step, io);
    return [{ ensure: 'dnsmasq.hosts', spec: started }];
  },

  async run(step, io) {
    const pid = await reloadDnsmasqHosts(io, (await specWithHosts(step, io)).next);
    return `dnsmasq ${pid} rereads ${step.reservations.length} reservation(s)`;
  },
};
