import { z } from 'zod';
import type { HostSnapshot } from '../host-snapshot';
import type { FieldIssue } from '../network/field-issue';

/**
 * Guest MAC addresses. The seeds' worst trap is two QEMU guests started without a MAC: both get
 * QEMU's default 52:54:00:12:34:56 and cannot reach each other on one bridge. KVMNet therefore
 * gives every NIC a MAC of its own, checked against every MAC the host can see.
 */

/** six octets in lower case joined by ":", as ip, libvirt and QEMU print them */
export const MAC_PATTERN = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/**
 * A MAC exactly as KVMNet itself writes it (lower case, ":"), nothing normalised: for what it reads
 * back from its own files and journal, where any other spelling means the text was not its own.
 */
export const LowerCaseMac = z.string().regex(MAC_PATTERN, { message: 'must be a MAC address in lower case, e.g. 52:54:00:12:34:56' });

/** Six octets, written lowercase with ":" (ip, libvirt and QEMU print them so); "-" separators are accepted. */
export const MacAddress = z
  .string({ error: 'must be a MAC address written as text, e.g. 52:54:00:3a:7c:01' })
  .trim()
  .toLowerCase()
  .overwrite((s) => s.replaceAll('-', ':'))
  .regex(MAC_PATTERN, { error: (i) => `"${String(i.input)}" is not a MAC address; write six pairs of hex digits joined by ":", e.g. 52:54:00:3a:7c:01` });
export type MacAddress = z.infer<typeof MacAddress>;

/** the normalised form, or undefined when the text is not a MAC address */
export function normalizeMac(text: string): MacAddress | undefined {
  const parsed = MacAddress.safeParse(text);
  return parsed.success ? parsed.data : undefined;
}

const firstOctet = (mac: MacAddress): number => Number.parseInt(mac.slice(0, 2), 16);

/** the I/G bit: frames to such an address go to a group, so no single NIC may own it */
export const isMulticast = (mac: MacAddress): boolean => (firstOctet(mac) & 0x01) !== 0;

/** the U/L bit: set for addresses not assigned by a vendor, such as QEMU/KVM's 52:54:00 */
export const isLocallyAdministered = (mac: MacAddress): boolean => (firstOctet(mac) & 0x02) !== 0;

const ALL_ZERO = '00:00:00:00:00:00';

/** the prefix QEMU and libvirt give guests; locally administered and unicast, so no vendor NIC clashes */
export const QEMU_MAC_PREFIX = '52:54:00';

/** QEMU's own default MAC for a guest's first NIC; later NICs count up from it */
export const QEMU_DEFAULT_MAC = '52:54:00:12:34:56';

/** QEMU numbers NICs without a MAC from …:56 up, so a generated MAC must stay out of that run */
const isQemuDefaultRun = (mac: MacAddress): boolean =>
  mac.startsWith('52:54:00:12:34:') && Number.parseInt(mac.slice(15), 16) >= 0x56;

/**
 * libvirt gives the host side of a guest's tap the guest MAC with first octet fe (so the bridge
 * never picks a tap's MAC as its own), and refuses guest MACs starting with fe for that reason.
 */
const TAP_OCTET = 0xfe;

/** What must not be used again: MAC → who uses it, in words for an error message. */
export type UsedMacs = ReadonlyMap<MacAddress, string>;

/** a Set of MACs works as well as UsedMacs */
export interface MacLookup {
  has(mac: MacAddress): boolean;
  readonly size: number;
}

const QEMU_DEFAULT_RUN_LENGTH = 0x100 - 0x56;

/**
 * A random 52:54:00:xx:xx:xx that `used` does not hold and that is not in QEMU's default run.
 * `random` returns [0, 1) like Math.random; tests pass a fixed sequence. The random pick is only
 * where the search starts: a clash moves on to the next address. Only `used.size` addresses and
 * QEMU's run can be skipped, so the search ends within that many steps.
 */
export function generateMac(used: MacLookup, random: () => number): MacAddress {
  const SPACE = 0x1000000;
  const start = Math.min(SPACE - 1, Math.max(0, Math.floor(random() * SPACE)));
  const steps = Math.min(SPACE, used.size + QEMU_DEFAULT_RUN_LENGTH + 1);
  for (let i = 0; i < steps; i++) {
    const n = (start + i) % SPACE;
    const mac = `${QEMU_MAC_PREFIX}:${[n >> 16, (n >> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    if (!used.has(mac) && !isQemuDefaultRun(mac)) return mac;
  }
  throw new Error(`every ${QEMU_MAC_PREFIX}:xx:xx:xx address is in use`);
}

/** A DHCP lease as far as MACs go (dnsmasq's lease file, libvirt's net-dhcp-leases). */
export interface LeaseMac {
  readonly mac: string;
  readonly ip?: string | undefined;
  readonly hostname?: string | undefined;
}

/** A tap KVMNet made for a guest, with the MAC it assigned to the guest's NIC behind it. */
export interface TapMac {
  readonly name: string;
  readonly mac: string;
}

/**
 * Every MAC in use that a new guest NIC could clash with: libvirt domains' NICs (running or not,
 * since a stopped guest comes back with its MAC), the host's links, DHCP leases (guests KVMNet
 * cannot see otherwise, such as plain QEMU ones) and the guest MACs KVMNet gave its taps. Text that
 * is not a MAC (a tun has none; loopback's is all zeros) is left out.
 */
export function usedMacs(snapshot: HostSnapshot, leases: readonly LeaseMac[], taps: readonly TapMac[]): UsedMacs {
  const used = new Map<MacAddress, string>();
  const add = (text: string | undefined, who: string) => {
    const mac = text === undefined ? undefined : normalizeMac(text);
    if (mac !== undefined && mac !== ALL_ZERO && !used.has(mac)) used.set(mac, who);
  };
  for (const domain of snapshot.libvirt.domains) {
    for (const iface of domain.interfaces) add(iface.mac, `the libvirt domain "${domain.name}"`);
  }
  for (const tap of taps) add(tap.mac, `the guest behind KVMNet's tap "${tap.name}"`);
  for (const link of snapshot.links) add(link.mac, `the host interface "${link.name}"`);
  for (const lease of leases) {
    const holder = [lease.ip, lease.hostname && `"${lease.hostname}"`].filter(Boolean).join(' ');
    add(lease.mac, `a DHCP lease${holder ? ` (${holder})` : ''}`);
  }
  return used;
}

/** A MAC a guest NIC may take: unicast, not all zeros, and not libvirt's tap prefix. */
export const GuestMac = MacAddress.superRefine((mac, ctx) => {
  const problem = guestMacProblem(mac);
  if (problem) ctx.addIssue({ code: 'custom', message: `${mac} ${problem}` });
});

const LEAVE_OUT = 'or leave it out and KVMNet picks a free one';

function guestMacProblem(mac: MacAddress): string | undefined {
  if (mac === ALL_ZERO) return `is the all-zero address, which no NIC may use; give another, ${LEAVE_OUT}`;
  if (isMulticast(mac)) {
    return `is a multicast address (the lowest bit of its first octet ${mac.slice(0, 2)} is set), which no NIC can own; use one with an even first octet such as ${QEMU_MAC_PREFIX}:xx:xx:xx, ${LEAVE_OUT}`;
  }
  if (firstOctet(mac) === TAP_OCTET) {
    return `starts with fe, which libvirt reserves for the host side of a guest's tap (its QEMU driver refuses it); use ${QEMU_MAC_PREFIX}:xx:xx:xx, ${LEAVE_OUT}`;
  }
  return undefined;
}

export type MacCheck = { readonly ok: true; readonly mac: MacAddress } | { readonly ok: false; readonly issue: FieldIssue };

/**
 * A MAC the user typed for a guest NIC, normalised, or the reason it cannot be used. `label` is how
 * the caller names the field (the CLI's flag by default); `used` comes from usedMacs.
 */
export function checkGuestMac(text: string, used: UsedMacs, label = '--mac'): MacCheck {
  const fail = (message: string): MacCheck => ({ ok: false, issue: { field: 'mac', message: `${label} ${message}` } });
  const mac = normalizeMac(text);
  if (mac === undefined) {
    return fail(`"${text}" is not a MAC address; write six pairs of hex digits joined by ":", e.g. ${QEMU_MAC_PREFIX}:3a:7c:01, ${LEAVE_OUT}`);
  }
  const problem = guestMacProblem(mac);
  if (problem) return fail(`${mac} ${problem}`);
  if (mac === QEMU_DEFAULT_MAC) {
    return fail(`${mac} is QEMU's default MAC, which every guest started without a MAC gets; two guests with it on one network cannot talk to each other; give another, ${LEAVE_OUT}`);
  }
  const holder = used.get(mac);
  if (holder !== undefined) {
    return fail(`${mac} is already used by ${holder}; two NICs with one MAC on a network cannot both talk; give another, ${LEAVE_OUT}`);
  }
  return { ok: true, mac };
}
