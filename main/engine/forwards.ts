import { parseListeningSockets, type ListeningSocket } from '../core/attach/listening-sockets';
import {
  forwardText, parsePortForwardText, rangeText, sameForwardKey, validatePortForward,
  type NetworkForward, type PortForward, type PortForwardField, type PortForwardText,
} from '../core/attach/port-forward';
import type { FieldIssue } from '../core/network/field-issue';
import type { NetworkSpec } from '../core/network/network-spec';
import { planNetworkUpdate, withIntent } from '../core/plan/network-update';
import { readCommand } from '../host/host-command';
import type { HostNetworkState } from './host-network-state';
import { readNftSetSpecs, readUpdateTarget, type Prepared } from './network-target';

/**
 * Port forwards as the CLI and the app use them: list, and plans to add or remove one. Each reads
 * what it checks against from the host (listening sockets, other networks' forwards, the host's
 * addresses) and returns either the problems, each naming its field, or the plan to run.
 */

export interface ForwardListing {
  readonly network: string;
  readonly backend: NetworkSpec['backend'];
  readonly forwards: readonly NetworkForward[];
}

/** how a user names the forward to remove: protocol and host port(s), and the host address if it has one */
export interface ForwardKeyText {
  readonly network: string;
  readonly proto: string;
  readonly hostPort: string;
  readonly hostIp?: string | undefined;
}

/** `ss -H -ltnu`: every TCP and UDP socket listening on this host */
export async function readListeningSockets(): Promise<ListeningSocket[]> {
  return parseListeningSockets(await readCommand('ss', ['-H', '-ltnu'], 5000));
}

const withNetwork = (network: string, f: NetworkForward): PortForward => ({ network, ...f });

/** every forward on the host but the named network's own */
async function otherForwards(state: HostNetworkState, except: string): Promise<PortForward[]> {
  const specs = new Map<string, NetworkSpec>();
  for (const record of state.plan.records) specs.set(record.spec.name, record.spec);
  for (const spec of await readNftSetSpecs()) if (!specs.has(spec.name)) specs.set(spec.name, spec);
  return [...specs.values()].filter((s) => s.name !== except).flatMap((s) => (s.forwards ?? []).map((f) => withNetwork(s.name, f)));
}

const hostAddresses = (state: HostNetworkState): string[] =>
  state.plan.snapshot.links.flatMap((l) => l.addresses.map((a) => a.address));

export async function listForwards(state: HostNetworkState, network: string): Promise<{ ok: false; issues: FieldIssue[] } | { ok: true; listing: ForwardListing }> {
  const found = await readUpdateTarget(state, network);
  if (!found.ok) return found;
  const { current } = found.target;
  return { ok: true, listing: { network: current.name, backend: current.backend, forwards: current.forwards ?? [] } };
}

/** a forward to be added, and whether its target is a reserved address (a DHCP one can move to another guest) */
export interface ForwardToAdd {
  readonly forward: NetworkForward;
  readonly targetReserved: boolean;
}

/** `labels` name the fields in messages as a form does; left out, as the CLI's flags */
export async function prepareForwardAdd(state: HostNetworkState, text: PortForwardText, labels: Partial<Record<PortForwardField, string>> = {}): Promise<Prepared<ForwardToAdd>> {
  const found = await readUpdateTarget(state, text.network);
  if (!found.ok) return found;
  const { current } = found.target;
  if (current.kind !== 'nat') {
    return { ok: false, issues: [{ field: 'network', message: `network ${current.name} is a ${current.kind} network; port forwards are for nat networks (a routed network's guests are reached directly, a ${current.kind === 'routed' ? 'hostonly or isolated' : current.kind} one's not at all from outside)` }] };
  }
  const parsed = parsePortForwardText(text, labels);
  if (!parsed.ok) return parsed;
  const [listening, others] = await Promise.all([readListeningSockets(), otherForwards(state, current.name)]);
  const own = (current.forwards ?? []).map((f) => withNetwork(current.name, f));
  const issues = validatePortForward(parsed.forward, { network: current, existing: [...others, ...own], listening, hostAddresses: hostAddresses(state) }, labels);
  if (issues.length > 0) return { ok: false, issues };
  const { network: _network, ...forward } = parsed.forward;
  const next = withIntent(current, [...(current.forwards ?? []), forward], current.reservations ?? []);
  const targetReserved = (current.reservations ?? []).some((r) => r.ip === forward.to.ip);
  return { ok: true, value: { forward, targetReserved }, plan: planNetworkUpdate(found.target, next, `forward ${forwardText(forward)} on network ${current.name}`) };
}

export async function prepareForwardRemove(state: HostNetworkState, key: ForwardKeyText): Promise<Prepared<NetworkForward>> {
  const found = await readUpdateTarget(state, key.network);
  if (!found.ok) return found;
  const { current } = found.target;
  // the target plays no part in naming a forward: a placeholder lets the one parser read protocol, ports and host address
  const parsed = parsePortForwardText({ network: key.network, proto: key.proto, hostPort: key.hostPort, to: '0.0.0.0', hostIp: key.hostIp });
  if (!parsed.ok) return { ok: false, issues: parsed.issues.filter((i) => i.field !== 'to') };
  const wanted = parsed.forward;
  const forwards = current.forwards ?? [];
  const match = forwards.find((f) => sameForwardKey(f, wanted));
  if (!match) {
    const have = forwards.map((f) => `${f.proto} ${f.hostIp ? `--host-ip ${f.hostIp} ` : ''}--host-port ${rangeText(f.hostPort)}`);
    return { ok: false, issues: [{ field: 'hostPort', message: `--host-port ${rangeText(wanted.hostPort)} (${wanted.proto}${wanted.hostIp ? ` on ${wanted.hostIp}` : ''}) is not forwarded on network ${current.name}; ${have.length ? `its forwards are: ${have.join('; ')}` : 'it has no forwards'}` }] };
  }
  const next = withIntent(current, forwards.filter((f) => f !== match), current.reservations ?? []);
  return { ok: true, value: match, plan: planNetworkUpdate(found.target, next, `remove forward ${forwardText(match)} from network ${current.name}`) };
}
