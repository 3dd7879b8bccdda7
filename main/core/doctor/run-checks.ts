import { CHECK_IDS, type Check, type CheckId, type DoctorReport } from './doctor-report';
import type { DoctorFacts } from './doctor-facts';
import { checkBrNetfilter } from './checks/br-netfilter';
import { checkBridgeWirelessUplink } from './checks/bridge-wireless-uplink';
import { checkDnsmasqRunning } from './checks/dnsmasq-running';
import { checkDuplicateMac } from './checks/duplicate-mac';
import { checkFirewallBackend } from './checks/firewall-backend';
import { checkForwardPolicyDrop } from './checks/forward-policy-drop';
import { checkIpForward } from './checks/ip-forward';
import { checkKvmDevice } from './checks/kvm-device';
import { checkLibvirtReachable } from './checks/libvirt-reachable';
import { checkNmManagedTap } from './checks/nm-managed-tap';
import { checkProxyArp } from './checks/proxy-arp';
import { checkSubnetOverlap } from './checks/subnet-overlap';
import { checkTunDevice } from './checks/tun-device';
import { checkVhostNet } from './checks/vhost-net';

export const CHECKS: Record<CheckId, (facts: DoctorFacts) => Check> = {
  'kvm-device': checkKvmDevice,
  'tun-device': checkTunDevice,
  'vhost-net': checkVhostNet,
  'libvirt-reachable': checkLibvirtReachable,
  'ip-forward': checkIpForward,
  'forward-policy-drop': checkForwardPolicyDrop,
  'br-netfilter': checkBrNetfilter,
  'firewall-backend': checkFirewallBackend,
  'subnet-overlap': checkSubnetOverlap,
  'duplicate-mac': checkDuplicateMac,
  'nm-managed-tap': checkNmManagedTap,
  'dnsmasq-running': checkDnsmasqRunning,
  'bridge-wireless-uplink': checkBridgeWirelessUplink,
  'proxy-arp': checkProxyArp,
};

/** Every check on one read of the host, in the report's fixed order. */
export function runChecks(facts: DoctorFacts): DoctorReport {
  return { checks: CHECK_IDS.map((id) => CHECKS[id](facts)) };
}
