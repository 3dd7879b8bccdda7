import type { Check, CheckStatus, Fix } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { blockOf, cidrText, contains, parseAddress, parseCidr, type Cidr } from '../../network/cidr';
import type { NetworkSpec } from '../../network/network-spec';
import { proxyArpKey } from '../../plan/ip-forward';
import { shellCommand } from '../../shell-quote';
import { mergeFixes } from '../merge-fixes';
import { capitalize } from '../sentence';
import { defaultRouteDevice } from '../vm-networks';

/**
 * A running routed network with proxy ARP stays reachable from its uplink's LAN only while the
 * uplink answers ARP for the guests (net.ipv4.conf.<uplink>.proxy_arp=1) and the guests' slice is
 * still part of that LAN. Both can change behind KVMNet's back: a re-plugged or renamed USB Wi-Fi
 * dongle comes up with proxy_arp=0, a NetworkManager reconnect can reset per-interface sysctls, and
 * another Wi-Fi brings another subnet. Only the first has a fix the helper may apply: the slice of
 * a LAN that moved cannot be patched, the network has to be made again from the new LAN.
 */

interface ProxyArpNetwork {
  readonly spec: NetworkSpec;
  readonly uplink: string;
  readonly slice: Cidr;
}

/** the running proxy-ARP networks: a stopped one has no guests to reach, whatever the uplink says */
function runningProxyArpNetworks(facts: DoctorFacts): ProxyArpNetwork[] {
  return facts.records.flatMap(({ spec }) => {
    const slice = spec.ipv4 ? parseCidr(spec.ipv4.subnet, 'ipv4')?.cidr : undefined;
    if (!spec.proxyArp || spec.uplink === undefined || !slice) return [];
    const running = facts.snapshot.links.some((l) => l.name === spec.bridge && l.owner === spec.name);
    return running ? [{ spec, uplink: spec.uplink, slice }] : [];
  });
}

/** the uplink's IPv4 subnets, from its global addresses */
function uplinkLans(facts: DoctorFacts, uplink: string): Cidr[] | undefined {
  const link = facts.snapshot.links.find((l) => l.name === uplink);
  if (!link) return undefined;
  return link.addresses.flatMap((a) => {
    const ip = a.family === 'inet' && a.scope !== 'link' && a.scope !== 'host' ? parseAddress(a.address, 'ipv4') : undefined;
    return ip ? [blockOf(ip, a.prefixLength)] : [];
  });
}

/** a slice strictly inside the LAN: the whole LAN would leave no room for the LAN's own hosts */
const insideLan = (slice: Cidr, lan: Cidr): boolean => slice.prefix > lan.prefix && contains(lan, slice.network);

/** sysctl splits keys at dots: an interface name with a dot (a VLAN, eth0.100) needs the slash form */
const sysctlWrite = (uplink: string, value: string): string =>
  shellCommand('sysctl', '-w', `${uplink.includes('.') ? `net/ipv4/conf/${uplink}/proxy_arp` : proxyArpKey(uplink)}=${value}`);

/** the uplinks whose proxy_arp is off under a running proxy-ARP network: what the helper fix turns on */
export function proxyArpOffUplinks(facts: DoctorFacts): string[] {
  return [...new Set(runningProxyArpNetworks(facts).filter((n) => facts.snapshot.links.some((l) => l.name === n.uplink) && facts.proxyArp[n.uplink] === '0').map((n) => n.uplink))];
}

/** `kvmnet create` for the same network on `uplink`, its slice picked afresh from that uplink's LAN unless `slice` is given */
function createCommand(spec: NetworkSpec, uplink: string, slice?: string): string {
  return shellCommand(
    'kvmnet', 'create', 'routed', spec.name, '--uplink', uplink, '--proxy-arp',
    ...(slice !== undefined ? ['--subnet', slice] : []),
    ...(spec.bridge !== `kv-${spec.name}` ? ['--bridge', spec.bridge] : []),
    ...(spec.mtu !== undefined ? ['--mtu', String(spec.mtu)] : []),
    ...(spec.dhcp === null ? ['--no-dhcp'] : []),
    ...(spec.domain !== undefined ? ['--domain', spec.domain] : []),
    ...(spec.autostart ? [] : ['--no-autostart']),
  );
}

/** delete and create again on `uplink`: KVMNet then picks a free slice of the LAN that uplink is on now */
function recreateFix(network: ProxyArpNetwork, uplink: string, description: string): Fix {
  const { spec } = network;
  return {
    description,
    commands: [shellCommand('kvmnet', 'delete', spec.name), createCommand(spec, uplink)],
    safe: false,
    undo: `Make it again as it was: ${shellCommand('kvmnet', 'delete', spec.name)} ; ${createCommand(spec, network.uplink, cidrText(network.slice))}`,
  };
}

interface Finding {
  readonly status: CheckStatus;
  readonly summary: string;
  readonly detail: string;
  readonly fix?: Fix;
}

function findingFor(network: ProxyArpNetwork, facts: DoctorFacts): Finding | undefined {
  const { spec, uplink, slice } = network;
  const label = `the network "${spec.name}"`;
  const lans = uplinkLans(facts, uplink);
  if (lans === undefined) {
    const now = defaultRouteDevice(facts);
    const elsewhere = now !== undefined && now !== uplink;
    return {
      status: 'fail',
      summary: `${uplink}, the proxy-ARP uplink of ${label}, is gone`,
      detail: `No interface is called ${uplink} now (a USB Wi-Fi adapter unplugged, or renamed when plugged in again), so nothing answers ARP for the guests of ${label} and the LAN cannot reach them.`,
      fix: recreateFix(network, elsewhere ? now : uplink, elsewhere
        ? `Plug ${uplink} in again (the doctor then checks its proxy ARP), or move ${label} to ${now}, which the host reaches the LAN through now:`
        : `Plug ${uplink} in again (the doctor then checks its proxy ARP), or, once it is back under another name, make ${label} again on that interface:`),
    };
  }
  if (lans.length === 0) {
    return {
      status: 'warn',
      summary: `${uplink}, the proxy-ARP uplink of ${label}, has no IPv4 address`,
      detail: `${uplink} is not connected to a LAN now, so the guests of ${label} are cut off from it until it reconnects. If it joins a different LAN, the doctor says how to move the network there.`,
    };
  }
  if (!lans.some((lan) => insideLan(slice, lan))) {
    const lanText = lans.map(cidrText).join(', ');
    return {
      status: 'fail',
      summary: `The slice ${cidrText(slice)} of ${label} is no longer inside the LAN of ${uplink}`,
      detail: `${uplink} is on ${lanText} now (another Wi-Fi, or the router changed its subnet): LAN hosts do not look for ${cidrText(slice)} on it, so the guests of ${label} are unreachable. The network has to be made again with a slice of the new LAN.`,
      fix: recreateFix(network, uplink, `Make ${label} again with a free slice of ${lanText}, the LAN of ${uplink} now (its guests need new addresses from it):`),
    };
  }
  const value = facts.proxyArp[uplink];
  if (value === undefined) {
    return {
      status: 'warn',
      summary: `The proxy ARP setting of ${uplink} could not be read`,
      detail: `${label} needs ${proxyArpKey(uplink)}=1, but /proc/sys/net/ipv4/conf/${uplink}/proxy_arp could not be read.`,
    };
  }
  if (value === '0') {
    return {
      status: 'fail',
      summary: `Proxy ARP is off on ${uplink}: the LAN cannot reach the guests of ${label}`,
      detail: `${proxyArpKey(uplink)} is 0 (the interface was re-plugged or reconnected, or another tool reset it), so the host no longer answers ARP on ${uplink} for the guests' addresses in ${cidrText(slice)}.`,
      fix: {
        description: `Turn proxy ARP on again on ${uplink} (until the interface is re-created; KVMNet turns it on whenever it starts the network).`,
        commands: [sysctlWrite(uplink, '1')],
        safe: true,
        undo: `Turn it off again: ${sysctlWrite(uplink, '0')}`,
      },
    };
  }
  return undefined;
}

const RANK: Record<CheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

export function checkProxyArp(facts: DoctorFacts): Check {
  const networks = runningProxyArpNetworks(facts);
  if (networks.length === 0) {
    return { id: 'proxy-arp', status: 'ok', summary: 'No running network uses proxy ARP', detail: 'Routed networks with proxy ARP need it on their uplink; none runs now.' };
  }
  const findings = networks.flatMap((n) => findingFor(n, facts) ?? []).sort((a, b) => RANK[b.status] - RANK[a.status]);
  const worst = findings[0];
  if (worst === undefined) {
    const names = networks.map((n) => `"${n.spec.name}" (${cidrText(n.slice)} on ${n.uplink})`).join(', ');
    return { id: 'proxy-arp', status: 'ok', summary: 'Proxy ARP is on for every proxy-ARP network', detail: `The host answers ARP for the guests of ${names}, and each slice lies inside its uplink's LAN.` };
  }
  const fix = mergeFixes(findings.flatMap((f) => f.fix ?? []));
  return {
    id: 'proxy-arp',
    status: worst.status,
    summary: capitalize(worst.summary),
    detail: findings.map((f) => f.detail).join(' '),
    ...(fix && { fix }),
  };
}
