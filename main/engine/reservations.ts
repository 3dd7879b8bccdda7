import { normalizeMac } from '../core/attach/mac';
import { validateReservation, type NetworkReservation, type ReservationField } from '../core/attach/reservation';
import { parseAddress } from '../core/network/cidr';
import { planNetworkUpdate, withIntent, type UpdateTarget } from '../core/plan/network-update';
import type { HostNetworkState } from './host-network-state';
import { readNetworkLeases } from './leases';
import { readLiveReservations, readUpdateTarget, type Prepared } from './network-target';

/**
 * DHCP reservations as the CLI and the app use them: plans to reserve an address for a MAC and to
 * release it, checked against the network's other reservations and its current leases.
 */

export interface ReservationText {
  readonly network: string;
  readonly mac: string;
  readonly ip: string;
  readonly name?: string | undefined;
}

/** a MAC as typed (any case, - or : separated): the schema then explains what is wrong with it */
const macText = (text: string): string => normalizeMac(text.trim()) ?? text.trim();

/**
 * A network's reservations in its definition and, while a libvirt network runs, those it serves
 * now: a reservation added beside one of either would clash (libvirt refuses an entry sharing a
 * MAC, an address or a name with a running one), so it is checked against both.
 */
async function reservationsNowAndNext(target: UpdateTarget): Promise<NetworkReservation[]> {
  const defined = target.current.reservations ?? [];
  if (target.current.backend !== 'libvirt' || !target.active) return defined;
  const live = await readLiveReservations(target.current.name);
  return [...defined, ...live.filter((l) => !defined.some((d) => JSON.stringify(d) === JSON.stringify(l)))];
}

/**
 * Why a running libvirt network's own entry for this reservation's MAC or address is not this
 * reservation (changed with `virsh net-update --live`), or undefined when it is or it has none:
 * libvirt removes only an entry that matches every attribute, so the release could not be made.
 */
async function runningDifference(target: UpdateTarget, reservation: NetworkReservation): Promise<string | undefined> {
  if (target.current.backend !== 'libvirt' || !target.active) return undefined;
  const live = await readLiveReservations(target.current.name);
  const entry = live.find((l) => l.mac === reservation.mac || l.ip === reservation.ip);
  if (!entry || JSON.stringify(entry) === JSON.stringify(reservation)) return undefined;
  const text = (r: NetworkReservation) => `${r.mac} ${r.ip}${r.name ? ` (${r.name})` : ''}`;
  return `network ${target.current.name} runs with ${text(entry)}, not ${text(reservation)} as defined; make them agree first (virsh net-update ${target.current.name} delete ip-dhcp-host ... --live, or restart the network)`;
}

/** `labels` name the fields in messages as a form does; left out, as the CLI's flags */
export async function prepareReserve(state: HostNetworkState, text: ReservationText, labels: Partial<Record<ReservationField, string>> = {}): Promise<Prepared<NetworkReservation>> {
  const found = await readUpdateTarget(state, text.network);
  if (!found.ok) return found;
  const { current, active } = found.target;
  const candidate = { network: current.name, mac: macText(text.mac), ip: text.ip.trim(), ...(text.name !== undefined && { name: text.name.trim() }) };
  const existing = (await reservationsNowAndNext(found.target)).map((r) => ({ network: current.name, ...r }));
  const leases = active && current.dhcp ? await readNetworkLeases(current) : [];
  const issues = validateReservation(candidate, { network: current, existing, leases }, labels);
  if (issues.length > 0) return { ok: false, issues };
  const { network: _network, ...reservation } = candidate;
  const next = withIntent(current, current.forwards ?? [], [...(current.reservations ?? []), reservation]);
  return { ok: true, value: reservation, plan: planNetworkUpdate(found.target, next, `reserve ${reservation.ip} for ${reservation.mac} on network ${current.name}`) };
}

export async function prepareUnreserve(state: HostNetworkState, key: { network: string; mac?: string | undefined; ip?: string | undefined }): Promise<Prepared<NetworkReservation>> {
  const found = await readUpdateTarget(state, key.network);
  if (!found.ok) return found;
  const { current } = found.target;
  if ((key.mac === undefined) === (key.ip === undefined)) {
    return { ok: false, issues: [{ field: 'mac', message: '--mac or --ip names the reservation to remove; give one of them' }] };
  }
  const reservations = current.reservations ?? [];
  const mac = key.mac === undefined ? undefined : normalizeMac(key.mac.trim());
  const ip = key.ip === undefined ? undefined : parseAddress(key.ip.trim(), 'ipv4')?.toString();
  if (key.mac !== undefined && mac === undefined) return { ok: false, issues: [{ field: 'mac', message: `--mac "${key.mac}" is not a MAC address; write it like 52:54:00:12:34:56` }] };
  if (key.ip !== undefined && ip === undefined) return { ok: false, issues: [{ field: 'ip', message: `--ip "${key.ip}" is not an IPv4 address; write it like 10.80.0.50` }] };
  const match = reservations.find((r) => (mac !== undefined ? r.mac === mac : r.ip === ip));
  if (!match) {
    const have = reservations.map((r) => `${r.mac} ${r.ip}`).join('; ');
    const field = mac !== undefined ? 'mac' : 'ip';
    return { ok: false, issues: [{ field, message: `--${field} ${mac ?? ip} has no reservation on network ${current.name}; ${have ? `its reservations are: ${have}` : 'it has none'}` }] };
  }
  const running = await runningDifference(found.target, match);
  if (running) return { ok: false, issues: [{ field: mac !== undefined ? 'mac' : 'ip', message: `--${mac !== undefined ? 'mac' : 'ip'} ${mac ?? ip}: ${running}` }] };
  const next = withIntent(current, current.forwards ?? [], reservations.filter((r) => r !== match));
  return { ok: true, value: match, plan: planNetworkUpdate(found.target, next, `release ${match.ip} (${match.mac}) on network ${current.name}`) };
}
