import type { NetworkSpec } from '../network/network-spec';
import type { Plan, Step } from '../../helper/protocol';
import { forwardingOnSteps } from './ip-forward';
import type { PlanContext } from './plan-context';

/**
 * The running part of a direct network (bridge, addresses, firewall, forwarding, dnsmasq), without
 * its record. Order, which is also the rollback order read backwards:
 * 1. link.add: everything else names the bridge, and deleting it undoes its addresses at once;
 * 2. addr.add before link.setState up, so the bridge never comes up without the host's address
 *    (guests would see a gateway that does not answer);
 * 3. nft.network before ip_forward (and IPv6 forwarding, for an IPv6 subnet), so the host never forwards for the bridge before KVMNet's rules
 *    for it exist (and on rollback, forwarding goes off before the rules go); a proxy-ARP network
 *    then turns proxy_arp on at its uplink, once the bridge's route exists for it to answer from;
 * 4. dnsmasq.start last: it binds to the bridge's address, and once it hands out leases guests may
 *    use everything above; on rollback it stops first, before anything it relies on goes.
 * Isolated networks have no host address: bridge up, isolation rules, nothing else.
 * A network without IPv6 turns IPv6 off on its bridge before it comes up, as libvirt does: else
 * the host gets a link-local address there, and an isolated network would not be host-free.
 */
export function planDirectCreate(spec: NetworkSpec, context: Pick<PlanContext, 'ipForward' | 'ipv6' | 'proxyArp'>): Plan {
  return { description: `bring up network ${spec.name} (${spec.kind}, direct)`, steps: directBringUpSteps(spec, context) };
}

export function directBringUpSteps(spec: NetworkSpec, context: Pick<PlanContext, 'ipForward' | 'ipv6' | 'proxyArp'>): Step[] {
  const steps: Step[] = [
    { op: 'link.add', kind: 'bridge', name: spec.bridge, network: spec.name, stp: false, ...(spec.mtu !== undefined && { mtu: spec.mtu }) },
  ];
  if (spec.ipv4) steps.push({ op: 'addr.add', dev: spec.bridge, address: hostAddress(spec.ipv4) });
  if (spec.ipv6) steps.push({ op: 'addr.add', dev: spec.bridge, address: hostAddress(spec.ipv6) });
  else steps.push({ op: 'sysctl.set', key: `net.ipv6.conf.${spec.bridge}.disable_ipv6`, value: '1' });
  steps.push({ op: 'link.setState', name: spec.bridge, up: true });
  steps.push({ op: 'nft.network', network: spec.name, spec });
  steps.push(...forwardingOnSteps(spec, context));
  if (spec.ipv4) steps.push({ op: 'dnsmasq.start', spec });
  return steps;
}

/**
 * The bring-up read backwards. `forwarding` (restoring ip_forward) goes where turning it on sat:
 * after dnsmasq stops and before the rules go.
 */
export function directTearDownSteps(spec: NetworkSpec, forwarding: readonly Step[] = []): Step[] {
  return [
    ...(spec.ipv4 ? [{ op: 'dnsmasq.stop', network: spec.name } as const] : []),
    ...forwarding,
    { op: 'nft.network', network: spec.name, spec: null },
    { op: 'link.delete', name: spec.bridge },
  ];
}

/** the host's address on the bridge: the gateway with the subnet's prefix */
const hostAddress = (ip: { subnet: string; gateway: string }): string => `${ip.gateway}/${ip.subnet.slice(ip.subnet.indexOf('/') + 1)}`;
