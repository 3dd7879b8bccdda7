import { rangeText, type NetworkForward } from '../attach/port-forward';
import { InterfaceName } from '../names';
import { NetworkSpec } from '../network/network-spec';

/**
 * KVMNet's firewall: one nftables table, `inet kvmnet`, rendered whole from the set of direct
 * networks that have rules, and loaded in one `nft -f -` transaction that replaces only this table.
 * No other table is ever listed, flushed or rewritten.
 *
 * nftables runs every base chain registered on a hook, table after table, by priority. An
 * `accept` ends only the chain it is in: it never overrides a `drop` in another table (a host
 * firewall with `policy drop` in its input or forward chain, Docker's FORWARD policy). So this table
 * can only add restrictions and address translation; the input accepts for DHCP and DNS say what
 * the network needs and keep our chain's evaluation short, and the doctor detects a foreign drop.
 *
 * Priorities are the standard ones that libvirt, firewalld and Docker also use (filter 0, srcnat
 * 100); firewalld sits at +10, so our masquerade decides first for our own subnets only.
 *
 * Forward rules come in three passes over all networks, as libvirt orders its chains: traffic that
 * stays on a bridge, then traffic INTO each bridge, then traffic OUT of each bridge. Judging the
 * way in first means a guest of one network cannot reach another network's guests just because its
 * own network lets it out (an accept would end the chain before the other network's drop).
 *
 * Port forwards are DNAT in prerouting (connections from elsewhere) and in output (the host's own
 * connections to its addresses), matched only when the destination is an address of this host
 * (`fib daddr type local`, or the forward's one host address), so traffic routed through the host
 * to the same port elsewhere is never taken. A DNATed connection must then get past the isolation
 * drop of its network: `ct status dnat accept` comes first among the rules into that bridge. A
 * libvirt network in the set contributes its DNAT rules only: libvirt owns its bridge's filtering,
 * and the accept past libvirt's own reject is made where libvirt's rules live
 * (helper/libvirt-forward-accept.ts).
 */

export const KVMNET_NFT_FAMILY = 'inet';
export const KVMNET_NFT_TABLE = 'kvmnet';
export const KVMNET_NFT_TABLE_REF = `${KVMNET_NFT_FAMILY} ${KVMNET_NFT_TABLE}`;

/** source ports for masqueraded TCP/UDP, as libvirt's own NAT networks use */
const NAT_PORTS = '1024-65535';

/** names are checked by their schema; quoting them keeps nft from reading one as a keyword */
const quoted = (name: string): string => `"${InterfaceName.parse(name)}"`;

interface Rule {
  network: string;
  text: string;
}

const tag = (network: string, text: string): Rule => ({ network, text });

/** the IPv4 and IPv6 subnets of a network with their nft address selectors */
function subnets(spec: NetworkSpec): { family: 'ip' | 'ip6'; subnet: string }[] {
  return [
    ...(spec.ipv4 ? [{ family: 'ip' as const, subnet: spec.ipv4.subnet }] : []),
    ...(spec.ipv6 ? [{ family: 'ip6' as const, subnet: spec.ipv6.subnet }] : []),
  ];
}

function inputRules(spec: NetworkSpec): Rule[] {
  const br = quoted(spec.bridge);
  const rule = (text: string) => tag(spec.name, text);
  if (spec.kind === 'isolated') return [rule(`iifname ${br} drop`)];
  return [
    ...(spec.dhcp ? [rule(`iifname ${br} udp dport 67 accept`)] : []),
    ...(spec.ipv6?.dhcp ? [rule(`iifname ${br} udp dport 547 accept`)] : []),
    rule(`iifname ${br} meta l4proto { tcp, udp } th dport 53 accept`),
  ];
}

/** traffic routed into the bridge */
function inboundRules(spec: NetworkSpec): Rule[] {
  const br = quoted(spec.bridge);
  const rule = (text: string) => tag(spec.name, text);
  const rules: Rule[] = [];
  if (spec.forwards?.length && spec.ipv4) rules.push(rule(`oifname ${br} ip daddr ${spec.ipv4.subnet} ct status dnat accept`));
  for (const { family, subnet } of subnets(spec)) {
    if (spec.kind === 'nat') rules.push(rule(`oifname ${br} ${family} daddr ${subnet} ct state established,related accept`));
    if (spec.kind === 'routed') rules.push(rule(`iifname ${quoted(spec.uplink!)} oifname ${br} ${family} daddr ${subnet} accept`));
  }
  rules.push(rule(`oifname ${br} drop`));
  return rules;
}

/** traffic routed out of the bridge */
function outboundRules(spec: NetworkSpec): Rule[] {
  const br = quoted(spec.bridge);
  const rule = (text: string) => tag(spec.name, text);
  const rules: Rule[] = [];
  if (spec.kind === 'nat' || spec.kind === 'routed') {
    const out = spec.uplink === undefined ? '' : ` oifname ${quoted(spec.uplink)}`;
    for (const { family, subnet } of subnets(spec)) rules.push(rule(`iifname ${br}${out} ${family} saddr ${subnet} accept`));
  }
  rules.push(rule(`iifname ${br} drop`));
  return rules;
}

/**
 * A guest reaching a forward through the host's address, to a guest of the same network (itself
 * included): without this the answer would go guest to guest, past the host's connection tracking,
 * and never match the connection the client opened. Masquerading such DNATed connections makes the
 * answer come back through the host.
 */
function hairpinRules(spec: NetworkSpec): Rule[] {
  if (spec.kind !== 'nat' || !spec.forwards?.length || !spec.ipv4) return [];
  const s = spec.ipv4.subnet;
  return [tag(spec.name, `oifname ${quoted(spec.bridge)} ip saddr ${s} ip daddr ${s} ct status dnat masquerade`)];
}

function masqueradeRules(spec: NetworkSpec): Rule[] {
  if (spec.kind !== 'nat') return [];
  const rule = (text: string) => tag(spec.name, text);
  // without an uplink, whatever interface the host routes to except the bridge itself
  const out = spec.uplink === undefined ? `oifname != ${quoted(spec.bridge)}` : `oifname ${quoted(spec.uplink)}`;
  const rules: Rule[] = [];
  if (spec.ipv4) {
    const s = spec.ipv4.subnet;
    rules.push(
      // multicast and broadcast stay local, as in libvirt's rules
      rule(`ip saddr ${s} ip daddr 224.0.0.0/24 return`),
      rule(`ip saddr ${s} ip daddr 255.255.255.255 return`),
      rule(`ip saddr ${s} ip daddr != ${s} ${out} meta l4proto { tcp, udp } masquerade to :${NAT_PORTS}`),
      rule(`ip saddr ${s} ip daddr != ${s} ${out} masquerade`),
    );
  }
  // the libvirt backend masquerades IPv6 of NAT networks too (<nat ipv6='yes'>); direct does the same
  if (spec.ipv6) rules.push(rule(`ip6 saddr ${spec.ipv6.subnet} ip6 daddr != ${spec.ipv6.subnet} ${out} masquerade`));
  return rules;
}

/** the DNAT target: a port range shifted to another start maps port by port, as a user expects of 8000-8010 -> :80-90 */
function dnatTarget(f: NetworkForward): string {
  const { hostPort, to } = f;
  if (to.port.start === hostPort.start && to.port.end === hostPort.end) {
    return hostPort.start === hostPort.end ? `dnat ip to ${to.ip}:${to.port.start}` : `dnat ip to ${to.ip}`;
  }
  if (hostPort.start === hostPort.end) return `dnat ip to ${to.ip}:${to.port.start}`;
  const pairs = [];
  for (let port = hostPort.start; port <= hostPort.end; port++) pairs.push(`${port} : ${to.ip} . ${to.port.start + port - hostPort.start}`);
  return `dnat ip to ${f.proto} dport map { ${pairs.join(', ')} }`;
}

/** `output`: the host's own connections, except to loopback, which never leaves the host */
function dnatRules(spec: NetworkSpec, hook: 'prerouting' | 'output'): Rule[] {
  if (spec.kind !== 'nat') return [];
  return (spec.forwards ?? []).map((f) => {
    const destination = f.hostIp !== undefined ? `ip daddr ${f.hostIp}` : `fib daddr type local meta nfproto ipv4${hook === 'output' ? ' ip daddr != 127.0.0.0/8' : ''}`;
    return tag(spec.name, `${destination} ${f.proto} dport ${rangeText(f.hostPort)} ${dnatTarget(f)}`);
  });
}

function chain(name: string, hook: string, rules: readonly Rule[]): string[] {
  if (rules.length === 0) return [];
  return [
    `\tchain ${name} {`,
    `\t\t${hook}`,
    ...rules.map((r) => `\t\t${r.text} comment "kvmnet:${r.network}"`),
    '\t}',
  ];
}

/**
 * The table for these networks, or undefined when none has rules (the table then does not exist
 * at all). Networks come in name order, so the same set always renders the same text.
 */
export function renderNftablesTable(input: readonly NetworkSpec[]): string | undefined {
  const specs = input.map((s) => NetworkSpec.parse(s)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set<string>();
  const bridges = new Map<string, string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`network ${spec.name} appears twice in the nftables network set`);
    names.add(spec.name);
    const other = bridges.get(spec.bridge);
    if (other !== undefined) throw new Error(`networks ${other} and ${spec.name} both use the bridge ${spec.bridge}`);
    bridges.set(spec.bridge, spec.name);
  }
  if (specs.length === 0) return undefined;

  const direct = specs.filter((s) => s.backend === 'direct');
  const forward = [
    ...direct.map((s) => tag(s.name, `iifname ${quoted(s.bridge)} oifname ${quoted(s.bridge)} accept`)),
    ...direct.flatMap(inboundRules),
    ...direct.flatMap(outboundRules),
  ];
  const chains = [
    chain('prerouting', 'type nat hook prerouting priority dstnat; policy accept;', specs.flatMap((s) => dnatRules(s, 'prerouting'))),
    chain('input', 'type filter hook input priority filter; policy accept;', direct.flatMap(inputRules)),
    chain('forward', 'type filter hook forward priority filter; policy accept;', forward),
    chain('output', 'type nat hook output priority -100; policy accept;', specs.flatMap((s) => dnatRules(s, 'output'))),
    chain('postrouting', 'type nat hook postrouting priority srcnat; policy accept;', [...specs.flatMap(hairpinRules), ...direct.flatMap(masqueradeRules)]),
  ].filter((c) => c.length > 0);
  return [`table ${KVMNET_NFT_TABLE_REF} {`, chains.map((c) => c.join('\n')).join('\n\n'), '}', ''].join('\n');
}

/**
 * The `nft -f -` script that makes the table exactly what these networks need, in one transaction:
 * declaring the table first makes the delete succeed whether or not it exists, and nothing but
 * this table is named.
 */
export function renderNftablesScript(specs: readonly NetworkSpec[]): string {
  const table = renderNftablesTable(specs);
  return `table ${KVMNET_NFT_TABLE_REF} {}\ndelete table ${KVMNET_NFT_TABLE_REF}\n${table ?? ''}`;
}

/**
 * The table for these networks when it should not exist yet: `create table` fails the whole
 * transaction if it does, so a table nobody expected is never merged into. It spares the kernel
 * the table deletion of renderNftablesScript, which costs a grace period (about 10 ms of a 15 ms
 * load); the caller falls back to renderNftablesScript when the table was there after all.
 */
export function renderNftablesCreateScript(specs: readonly NetworkSpec[]): string {
  const table = renderNftablesTable(specs);
  if (table === undefined) throw new Error('no network has rules: there is no table to create');
  return `create table ${KVMNET_NFT_TABLE_REF}\n${table}`;
}
