import type { Check, Fix } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { mergeFixes } from '../merge-fixes';
import { capitalize } from '../sentence';
import { shellCommand } from '../../shell-quote';

/** QEMU gives a NIC this address when its command line names none: the seeds' classic clash */
export const QEMU_DEFAULT_MAC = '52:54:00:12:34:56';

interface Holder {
  readonly mac: string;
  readonly kind: 'guest' | 'lease' | 'tap';
  /** in words: 'VM "web"', 'tap kvtap1', 'the guest with lease 10.0.0.5 on "lab"' */
  readonly what: string;
  /** a guest that runs, or a tap (which exists only while in use) */
  readonly live: boolean;
  readonly tap?: string;
  readonly tapOwned?: boolean;
}

interface Clash {
  readonly mac: string;
  readonly holders: readonly Holder[];
  readonly live: boolean;
}

const normal = (mac: string): string => mac.toLowerCase();

function holders(facts: DoctorFacts): Holder[] {
  const list: Holder[] = [];
  for (const d of facts.snapshot.libvirt.domains) {
    for (const i of d.interfaces) if (i.mac) list.push({ mac: normal(i.mac), kind: 'guest', what: `VM "${d.name}"`, live: d.state === 'running' });
  }
  for (const l of facts.leases) list.push({ mac: normal(l.mac), kind: 'lease', what: `the guest with lease ${l.ip} on "${l.network}"`, live: true });
  for (const l of facts.snapshot.links) {
    if (l.kind === 'tap' && l.mac) list.push({ mac: normal(l.mac), kind: 'tap', what: `tap ${l.name}`, live: true, tap: l.name, tapOwned: l.owner !== undefined });
  }
  return list;
}

/**
 * A lease and a libvirt VM with the same MAC are one guest seen twice, not a clash. Clashes: two
 * VM interfaces, two taps, or a guest using the MAC of a host-side tap (the bridge then keeps the
 * guest's frames for the host).
 */
function clashes(list: readonly Holder[]): Clash[] {
  const byMac = new Map<string, Holder[]>();
  for (const h of list) byMac.set(h.mac, [...(byMac.get(h.mac) ?? []), h]);
  const found: Clash[] = [];
  for (const [mac, group] of byMac) {
    const guests = group.filter((h) => h.kind === 'guest');
    const taps = group.filter((h) => h.kind === 'tap');
    const guestLike = guests.length > 0 ? guests : group.filter((h) => h.kind === 'lease').slice(0, 1);
    const clashing = guests.length > 1 || taps.length > 1 || (taps.length > 0 && guestLike.length > 0) ? [...guestLike, ...taps] : [];
    if (clashing.length > 1) found.push({ mac, holders: clashing, live: clashing.filter((h) => h.live).length > 1 });
  }
  return found.sort((a, b) => Number(b.live) - Number(a.live));
}

/** a locally administered unicast MAC derived from the tap's name, so the fix is the same every run */
export function stableTapMac(name: string, attempt = 0): string {
  let hash = 0x811c9dc5;
  for (const ch of `${name}#${attempt}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const bytes = [0x02, 0x4b, (hash >>> 24) & 0xff, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** a tap that gets a new address: the doctor's fix for a clash, and what undoing it sets back */
export interface TapMacChange {
  readonly tap: string;
  readonly mac: string;
  readonly previous: string;
  /** the tap carries KVMNet's alias, so the helper may change it */
  readonly owned: boolean;
}

function tapChanges(clash: Clash, taken: ReadonlySet<string>): TapMacChange[] {
  // the first tap keeps its address: a guest may already know the host by it
  const renamed = clash.holders.filter((h) => h.tap !== undefined).slice(clash.holders.some((h) => h.kind !== 'tap') ? 0 : 1);
  return renamed.map((h) => {
    let attempt = 0;
    while (taken.has(stableTapMac(h.tap!, attempt))) attempt++;
    return { tap: h.tap!, mac: stableTapMac(h.tap!, attempt), previous: clash.mac, owned: h.tapOwned === true };
  });
}

/** every tap the fix for duplicate MACs gives a new address */
export function tapMacChanges(facts: DoctorFacts): TapMacChange[] {
  const list = holders(facts);
  const taken = new Set(list.map((h) => h.mac));
  return clashes(list).flatMap((c) => tapChanges(c, taken));
}

function tapFix(clash: Clash, taken: ReadonlySet<string>): Fix | undefined {
  const changes = tapChanges(clash, taken);
  if (changes.length === 0) return undefined;
  return {
    description: `Give ${changes.map((c) => c.tap).join(', ')} ${changes.length === 1 ? 'an address' : 'addresses'} of ${changes.length === 1 ? 'its' : 'their'} own.`,
    commands: changes.map((c) => shellCommand('ip', 'link', 'set', 'dev', c.tap, 'address', c.mac)),
    safe: changes.every((c) => c.owned),
    undo: `Set the old address back: ${changes.map((c) => shellCommand('ip', 'link', 'set', 'dev', c.tap, 'address', c.previous)).join(' ; ')}`,
  };
}

export function checkDuplicateMac(facts: DoctorFacts): Check {
  const list = holders(facts);
  const found = clashes(list);
  const first = found[0];
  if (first === undefined) {
    const qemuDefault = list.find((h) => h.mac === QEMU_DEFAULT_MAC && h.kind !== 'tap');
    if (qemuDefault) {
      return {
        id: 'duplicate-mac',
        status: 'warn',
        summary: capitalize(`${qemuDefault.what} uses QEMU's default MAC ${QEMU_DEFAULT_MAC}`),
        detail: 'QEMU gives this same address to every NIC started without mac=, so the next such VM on this network clashes with it and both lose their connection. Give each VM its own MAC (KVMNet’s QEMU snippets do).',
      };
    }
    const count = new Set(list.map((h) => h.mac)).size;
    return { id: 'duplicate-mac', status: 'ok', summary: 'Every MAC address is unique', detail: `No two of the ${count} VMs, guests with a lease and taps share a MAC address.` };
  }
  const taken = new Set(list.map((h) => h.mac));
  const fix = mergeFixes(found.flatMap((c) => tapFix(c, taken) ?? []));
  return {
    id: 'duplicate-mac',
    status: first.live ? 'fail' : 'warn',
    summary: capitalize(`${first.holders.map((h) => h.what).join(' and ')} share the MAC ${first.mac}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}`),
    detail:
      'A bridge delivers each frame to one port per MAC address, so devices sharing one steal each other’s traffic and lose their connection' +
      `${first.live ? '' : ' once they run at the same time'}. Give each VM its own MAC (QEMU: -nic …,mac=52:54:00:xx:xx:xx; libvirt: <mac address=…/>).`,
    ...(fix && { fix }),
  };
}
