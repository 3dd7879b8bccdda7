import { z } from 'zod';
import { addressAt, cidrText, contains, lastAddress, parseAddress, parseExactCidr, sameAddress, type Cidr, type IpAddr } from '../network/cidr';
import type { FieldIssue } from '../network/field-issue';
import { Ipv4Address } from '../network/address-schemas';
import { isLoopbackAddress, isWildcardAddress, type ListeningSocket } from './listening-sockets';
import { LibvirtNetworkRef } from './nic-source';
import { schemaIssue } from './schema-issue';

/**
 * A port forward: connections to the host's port(s) go on to a guest's port(s), as the seeds'
 * `iptables -t nat -A PREROUTING … -j DNAT --to-destination 192.168.3.10:8080` did. This file is
 * the model and its checks; the nftables rules are rendered elsewhere from it.
 */

export const PORT_MIN = 1;
export const PORT_MAX = 65535;

export const Port = z
  .number({ error: `must be a port number from ${PORT_MIN} to ${PORT_MAX}` })
  .int({ error: `must be a whole port number from ${PORT_MIN} to ${PORT_MAX}` })
  .min(PORT_MIN, { error: (i) => `port ${String(i.input)} is below ${PORT_MIN}; use ${PORT_MIN}–${PORT_MAX}` })
  .max(PORT_MAX, { error: (i) => `port ${String(i.input)} is above ${PORT_MAX}, the largest port there is; use ${PORT_MIN}–${PORT_MAX}` });

/** one port is a range with start = end */
export const PortRange = z
  .strictObject({ start: Port, end: Port })
  .refine((r) => r.start <= r.end, {
    error: (i) => {
      const r = i.input as { start: number; end: number };
      return `range ${r.start}-${r.end} is reversed; write the smaller port first: ${r.end}-${r.start}`;
    },
  });
export type PortRange = z.infer<typeof PortRange>;

export const ForwardProto = z.enum(['tcp', 'udp'], { error: 'must be tcp or udp' });
export type ForwardProto = z.infer<typeof ForwardProto>;

export const PortForward = z.strictObject({
  network: LibvirtNetworkRef,
  proto: ForwardProto,
  hostPort: PortRange,
  to: z.strictObject({ ip: Ipv4Address, port: PortRange }),
  /** forward only connections to this host address; left out, to any address of the host */
  hostIp: Ipv4Address.optional(),
});
export type PortForward = z.infer<typeof PortForward>;

/** a forward as its network's spec keeps it: the network is the one that holds it */
export const NetworkForward = PortForward.omit({ network: true });
export type NetworkForward = z.infer<typeof NetworkForward>;

/**
 * How a user names a forward to remove it: its protocol and host port(s) (and host address, when
 * it has one). No two forwards can share these, since forwards that take the same connections are
 * refused; so they identify a forward on the whole host, not only on its network.
 */
export const sameForwardKey = (a: Pick<NetworkForward, 'proto' | 'hostPort' | 'hostIp'>, b: Pick<NetworkForward, 'proto' | 'hostPort' | 'hostIp'>): boolean =>
  a.proto === b.proto && a.hostPort.start === b.hostPort.start && a.hostPort.end === b.hostPort.end && a.hostIp === b.hostIp;

export const forwardText = (f: NetworkForward): string =>
  `${f.proto} ${f.hostIp ? `${f.hostIp}:` : ''}${rangeText(f.hostPort)} -> ${f.to.ip}:${rangeText(f.to.port)}`;

export type PortForwardField = 'network' | 'proto' | 'hostPort' | 'to' | 'hostIp';

/** how messages name each field: the CLI's flags unless the caller (a form) names them otherwise */
export const PORT_FORWARD_FLAGS: Readonly<Record<PortForwardField, string>> = {
  network: '--network',
  proto: '--proto',
  hostPort: '--host-port',
  to: '--to',
  hostIp: '--host-ip',
};

/** how the app's form names the fields, in the same messages */
export const PORT_FORWARD_FORM_LABELS: Readonly<Partial<Record<PortForwardField, string>>> = {
  proto: 'Protocol',
  hostPort: 'Host port',
  to: 'Guest address',
  hostIp: 'Host address',
};

export const rangeText = (r: PortRange): string => (r.start === r.end ? String(r.start) : `${r.start}-${r.end}`);
const rangeLength = (r: PortRange): number => r.end - r.start + 1;
const rangesOverlap = (a: PortRange, b: PortRange): boolean => a.start <= b.end && b.start <= a.end;

/** The network a forward goes into, as far as the checks need it: a NetworkSpec fits. */
export interface ForwardNetwork {
  readonly name: string;
  readonly ipv4: { readonly subnet: string; readonly gateway: string } | null;
}

export interface PortForwardContext {
  readonly network: ForwardNetwork;
  /** every forward already set up, on any network; leave out the one being edited */
  readonly existing: readonly PortForward[];
  /** from parseListeningSockets(`ss -H -ltnu`) */
  readonly listening: readonly ListeningSocket[];
  /** the host's own IPv4 addresses, to check hostIp against; left out, hostIp is not checked so */
  readonly hostAddresses?: readonly string[];
}

/**
 * Every problem with a forward on this host, each naming its field and the fix; an empty list
 * means it can be set up. Pure and quick, for the CLI and for a form on every keystroke.
 */
export function validatePortForward(
  input: unknown,
  context: PortForwardContext,
  labels: Partial<Record<PortForwardField, string>> = {},
): FieldIssue[] {
  const name = { ...PORT_FORWARD_FLAGS, ...labels };
  const parsed = PortForward.safeParse(input, { reportInput: true });
  if (!parsed.success) return distinct(parsed.error.issues.map((issue) => forwardIssue(issue, name)));

  const forward = parsed.data;
  const issues: FieldIssue[] = [];
  const add = (field: PortForwardField, message: string) => issues.push({ field, message: `${name[field]} ${message}` });

  if (forward.network !== context.network.name) {
    add('network', `${forward.network} does not match the network checked against (${context.network.name}); this is a bug in the caller`);
    return issues;
  }
  if (rangeLength(forward.to.port) !== rangeLength(forward.hostPort)) {
    const fit = rangeText({ start: forward.to.port.start, end: forward.to.port.start + rangeLength(forward.hostPort) - 1 });
    add('to', `port range ${rangeText(forward.to.port)} has ${rangeLength(forward.to.port)} ports but ${name.hostPort} ${rangeText(forward.hostPort)} has ${rangeLength(forward.hostPort)}; give ranges of one length, e.g. ${forward.to.ip}:${fit}`);
  }
  checkTarget(forward, context.network, (message) => add('to', message));
  if (forward.hostIp !== undefined) checkHostIp(forward.hostIp, context.hostAddresses, (message) => add('hostIp', message));

  const taken = takenBy(forward, context);
  if (taken) {
    const free = suggestHostPort(forward, context);
    const instead = free ? `pick another, e.g. ${name.hostPort} ${rangeText(free)}` : `pick another ${forward.proto} port`;
    add('hostPort', `${rangeText(forward.hostPort)} (${forward.proto}) ${taken.reason}; ${instead}${taken.orElse ? `, or ${taken.orElse}` : ''}`);
  }
  return issues;
}

function checkTarget(forward: PortForward, network: ForwardNetwork, fail: (message: string) => void): void {
  const subnet = network.ipv4 && parseExactCidr(network.ipv4.subnet, 'ipv4');
  if (!network.ipv4 || !subnet) {
    fail(`cannot reach network ${network.name}: it has no IPv4 subnet (an isolated network), so the host cannot reach its guests; forward to a nat, routed or host-only network`);
    return;
  }
  const ip = parseAddress(forward.to.ip, 'ipv4');
  if (!ip) return;
  const gateway = parseAddress(network.ipv4.gateway, 'ipv4');
  const hosts = guestRangeText(subnet, gateway);
  if (!contains(subnet, ip)) {
    fail(`${forward.to.ip} is outside network ${network.name} (${cidrText(subnet)}); give a guest's address in ${hosts}`);
  } else if (sameAddress(ip, subnet.network)) {
    fail(`${forward.to.ip} is the network address of ${cidrText(subnet)}, which no guest has; give a guest's address in ${hosts}`);
  } else if (sameAddress(ip, lastAddress(subnet))) {
    fail(`${forward.to.ip} is the broadcast address of ${cidrText(subnet)}, which no guest has; give a guest's address in ${hosts}`);
  } else if (gateway && sameAddress(ip, gateway)) {
    fail(`${forward.to.ip} is the gateway of network ${network.name}, the host itself; give a guest's address in ${hosts}`);
  }
}

/** the addresses a guest can have, for messages: the gateway is left off when it sits at either end */
function guestRangeText(subnet: Cidr, gateway: IpAddr | undefined): string {
  const first = addressAt(subnet, 1n);
  const last = addressAt(subnet, -2n);
  const start = gateway && sameAddress(gateway, first) ? addressAt(subnet, 2n) : first;
  const end = gateway && sameAddress(gateway, last) ? addressAt(subnet, -3n) : last;
  return `${start.toString()}–${end.toString()}`;
}

function checkHostIp(hostIp: string, hostAddresses: readonly string[] | undefined, fail: (message: string) => void): void {
  if (isLoopbackAddress(hostIp)) {
    fail(`${hostIp} is a loopback address; the kernel does not route loopback traffic to guests; leave it out to forward on every address of the host`);
  } else if (hostAddresses && !hostAddresses.includes(parseAddress(hostIp, 'ipv4')?.toString() ?? hostIp)) {
    const choices = hostAddresses.filter((a) => !isLoopbackAddress(a) && !a.includes(':'));
    fail(`${hostIp} is not an address of this host; ${choices.length ? `use one of ${choices.join(', ')}, or ` : ''}leave it out to forward on every address of the host`);
  }
}

interface Taken {
  readonly reason: string;
  /** a second way out besides another port */
  readonly orElse?: string;
}

/** what already holds (part of) the forward's host ports, or undefined when they are free */
function takenBy(forward: PortForward, context: PortForwardContext): Taken | undefined {
  const clash = context.existing.find((other) => forwardsClash(forward, other));
  if (clash) {
    const where = clash.hostIp ? ` on ${clash.hostIp}` : '';
    return { reason: `is already forwarded${where} to ${clash.to.ip}:${rangeText(clash.to.port)} on network ${clash.network}` };
  }
  const socket = context.listening.find((s) => listenerClash(forward, s));
  if (socket) {
    const bound = `${socket.address.includes(':') ? `[${socket.address}]` : socket.address}:${socket.port}`;
    return { reason: `is where a service on this host listens (${bound}), and the forward would take its connections`, orElse: 'stop that service' };
  }
  return undefined;
}

/** both take the same connections: one protocol, shared ports, and a host address both match */
const forwardsClash = (a: PortForward, b: PortForward): boolean =>
  a.proto === b.proto && rangesOverlap(a.hostPort, b.hostPort) && (a.hostIp === undefined || b.hostIp === undefined || a.hostIp === b.hostIp);

/**
 * A listener on loopback only is safe from a forward: prerouting never sees loopback traffic, and
 * the output rule the forward needs skips loopback destinations.
 */
function listenerClash(forward: PortForward, socket: ListeningSocket): boolean {
  if (socket.proto !== forward.proto || socket.port < forward.hostPort.start || socket.port > forward.hostPort.end) return false;
  if (isWildcardAddress(socket.address)) return true;
  if (forward.hostIp === undefined) return !isLoopbackAddress(socket.address);
  return socket.address === forward.hostIp;
}

/** the first run of host ports as long as the forward's, above it, that nothing takes */
function suggestHostPort(forward: PortForward, context: PortForwardContext): PortRange | undefined {
  const length = rangeLength(forward.hostPort);
  for (let start = forward.hostPort.start + 1; start + length - 1 <= PORT_MAX; start++) {
    const candidate = { ...forward, hostPort: { start, end: start + length - 1 } };
    if (!takenBy(candidate, context)) return candidate.hostPort;
  }
  return undefined;
}

const forwardIssue = (issue: z.core.$ZodIssue, name: Record<PortForwardField, string>): FieldIssue =>
  schemaIssue(issue, name, 'port forward', '{network, proto, hostPort, to: {ip, port}, hostIp?}');

/** one message per problem: a range's two ends can fail alike (0-0) */
const distinct = (issues: FieldIssue[]): FieldIssue[] =>
  issues.filter((issue, i) => issues.findIndex((o) => o.field === issue.field && o.message === issue.message) === i);

export type ForwardParse = { readonly ok: true; readonly forward: PortForward } | { readonly ok: false; readonly issues: FieldIssue[] };

/** What a person types: ports as "8080" or "8000-8010", the target as "IP", "IP:PORT" or "IP:N-M". */
export interface PortForwardText {
  readonly network: string;
  readonly proto: string;
  readonly hostPort: string;
  readonly to: string;
  readonly hostIp?: string | undefined;
}

/**
 * A forward from the CLI's flags (or a form's text fields), checked for form only; run
 * validatePortForward on the result for the checks against the host. A target without a port
 * keeps the host's port(s), as iptables' DNAT does.
 */
export function parsePortForwardText(text: PortForwardText, labels: Partial<Record<PortForwardField, string>> = {}): ForwardParse {
  const name = { ...PORT_FORWARD_FLAGS, ...labels };
  const issues: FieldIssue[] = [];
  const hostPort = parsePortRangeText(text.hostPort);
  if (!hostPort) issues.push({ field: 'hostPort', message: `${name.hostPort} "${text.hostPort}" is not a port or range; write a port such as 8080 or a range such as 8000-8010 (ports ${PORT_MIN}–${PORT_MAX})` });
  const target = /^(?<ip>[0-9.]+)(?::(?<ports>[0-9-]+))?$/.exec(text.to.trim())?.groups;
  const toPort = target?.ports === undefined ? hostPort : parsePortRangeText(target.ports);
  if (!target || (target.ports !== undefined && !toPort)) {
    issues.push({ field: 'to', message: `${name.to} "${text.to}" is not a guest address; write IP:PORT such as 10.80.0.5:80, IP:N-M for a range, or just IP to keep the host's port` });
  }
  if (issues.length > 0 || !hostPort || !target || !toPort) return { ok: false, issues };
  const candidate = {
    network: text.network,
    proto: text.proto.trim().toLowerCase(),
    hostPort,
    to: { ip: target.ip, port: toPort },
    ...(text.hostIp !== undefined && { hostIp: text.hostIp.trim() }),
  };
  const parsed = PortForward.safeParse(candidate, { reportInput: true });
  if (parsed.success) return { ok: true, forward: parsed.data };
  // a target without a port copies the host port, whose own issue already says what is wrong
  const own = parsed.error.issues.filter((i) => target.ports !== undefined || !(i.path[0] === 'to' && i.path[1] === 'port'));
  return { ok: false, issues: distinct(own.map((issue) => forwardIssue(issue, name))) };
}

/** "8080" or "8000-8010"; out-of-range and reversed numbers parse, for the schema to explain */
function parsePortRangeText(text: string): PortRange | undefined {
  const match = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(text.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  return { start, end: match[2] === undefined ? start : Number(match[2]) };
}
