import { runningDnsmasq, startedSpec, stopDnsmasq } from '../dnsmasq-control';
import type { HostOp } from './op';

/**
 * Stops the network's dnsmasq (none running is not an error: the network is then already as the
 * step wants it). Its inverse starts it again from the spec it was started with, saved beside its
 * configuration, which is why a dnsmasq without that spec is not stopped.
 */
export const dnsmasqStop: HostOp<'dnsmasq.stop'> = {
  check: () => undefined,

  simulate(step, state) {
    const dnsmasq = new Set(state.dnsmasq);
    dnsmasq.delete(step.network);
    return { ...state, dnsmasq };
  },

  async inverse(step, io) {
    if ((await runningDnsmasq(io, step.network)) === undefined) return [{ ensure: 'dnsmasq.stopped', network: step.network }];
    const spec = await startedSpec(io, step.network);
    if (!spec) throw new Error(`the dnsmasq of network ${step.network} runs without the spec it was started from, so stopping it could not be undone; it is left running`);
    return [{ ensure: 'dnsmasq.running', spec }];
  },

  run: (step, io) => stopDnsmasq(io, step.network),
};
