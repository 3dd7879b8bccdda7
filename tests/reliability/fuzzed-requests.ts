import type { NetworkSpec } from '../../main/core/network/network-spec';
import type { Random } from './seeded-random';

/**
 * Seeded request lines for the helper fuzz record. Each line says what the helper must answer:
 * - 'refused': an error (ok: false), whatever the code;
 * - 'answered': a valid answer to a ping or observe;
 * - 'any': a mutation that may by chance have produced a valid request; any schema-valid reply.
 * Blank lines are part of the stream too: the helper skips them without an answer.
 */
export type Expectation = 'refused' | 'answered' | 'any' | 'no answer';
export interface FuzzLine {
  category: string;
  line: string;
  expect: Expectation;
}

/** A host whose unowned targets the requests aim at (built by the test): the laptop's NIC, another program's bridge and its port, libvirt's own network. */
export const UNOWNED = { nic: 'eth0', bridge: 'br-other', port: 'vo0', libvirtNetwork: 'default', libvirtBridge: 'virbr0' } as const;

const natSpec: NetworkSpec = {
  name: 'fz', kind: 'nat', backend: 'direct', bridge: 'kvfz0',
  ipv4: { subnet: '10.88.0.0/24', gateway: '10.88.0.1' }, dhcp: { start: '10.88.0.128', end: '10.88.0.254' },
  domain: 'fz.internal', autostart: true,
};
const libvirtSpec: NetworkSpec = { ...natSpec, name: 'fzlv', backend: 'libvirt', bridge: 'kvfzlv0' };

/** every step op with plausible values for KVMNet's own things; the base of the mutations */
const TEMPLATES: Record<string, unknown>[] = [
  { op: 'link.add', kind: 'bridge', name: 'kvfz0', network: 'fz', stp: false, mtu: 1500 },
  { op: 'link.add', kind: 'tap', name: 'kvfzt0', network: 'fz', user: 1000 },
  { op: 'link.add', kind: 'veth', name: 'kvfzv0', peer: 'kvfzv1', network: 'fz' },
  { op: 'link.delete', name: 'kvfz0' },
  { op: 'link.setMaster', name: 'kvfzt0', master: 'kvfz0' },
  { op: 'link.setState', name: 'kvfz0', up: true },
  { op: 'link.setAlias', name: 'kvfz0', network: 'fz' },
  { op: 'addr.add', dev: 'kvfz0', address: '10.88.0.1/24' },
  { op: 'addr.delete', dev: 'kvfz0', address: '10.88.0.1/24' },
  { op: 'sysctl.set', key: 'net.ipv4.conf.kvfz0.forwarding', value: '1' },
  { op: 'nft.network', network: 'fz', spec: natSpec },
  { op: 'dnsmasq.start', spec: natSpec },
  { op: 'dnsmasq.stop', network: 'fz' },
  { op: 'libvirt.define', spec: libvirtSpec },
  { op: 'libvirt.undefine', network: 'fzlv' },
  { op: 'libvirt.start', network: 'fzlv' },
  { op: 'libvirt.stop', network: 'fzlv' },
  { op: 'libvirt.autostart', network: 'fzlv', enabled: true },
  { op: 'record.write', record: { version: 1, spec: natSpec } },
  { op: 'record.delete', network: 'fz' },
  { op: 'boot.unit', enabled: false },
];

/** steps aimed at what KVMNet does not own, each well-formed: the helper must refuse them all */
const UNOWNED_STEPS: Record<string, unknown>[] = [
  { op: 'link.delete', name: UNOWNED.nic },
  { op: 'link.delete', name: UNOWNED.bridge },
  { op: 'link.delete', name: UNOWNED.libvirtBridge },
  { op: 'link.delete', name: 'lo' },
  { op: 'link.setMaster', name: UNOWNED.nic, master: UNOWNED.bridge },
  { op: 'link.setMaster', name: UNOWNED.port, master: null },
  { op: 'link.setState', name: UNOWNED.nic, up: false },
  { op: 'link.setState', name: UNOWNED.bridge, up: false },
  { op: 'link.setAlias', name: UNOWNED.nic, network: 'stolen' },
  { op: 'link.setAlias', name: UNOWNED.bridge, network: 'stolen' },
  { op: 'addr.add', dev: UNOWNED.nic, address: '10.9.9.9/24' },
  { op: 'addr.delete', dev: UNOWNED.nic, address: '192.168.50.2/24' },
  { op: 'addr.add', dev: UNOWNED.bridge, address: '10.9.8.1/24' },
  { op: 'sysctl.set', key: `net.ipv4.conf.${UNOWNED.nic}.forwarding`, value: '1' },
  { op: 'sysctl.set', key: `net.ipv6.conf.${UNOWNED.bridge}.disable_ipv6`, value: '1' },
  { op: 'sysctl.set', key: `net.ipv4.conf.${UNOWNED.nic}.proxy_arp`, value: '1' },
  { op: 'sysctl.set', key: 'kernel.core_pattern', value: '1' },
  { op: 'sysctl.set', key: 'net.ipv4.conf.all.rp_filter', value: '0' },
  { op: 'link.add', kind: 'bridge', name: UNOWNED.nic, network: 'fz' },
  { op: 'link.add', kind: 'tap', name: UNOWNED.bridge, network: 'fz' },
  { op: 'link.add', kind: 'veth', name: 'kvfzv0', peer: UNOWNED.nic, network: 'fz' },
  { op: 'nft.network', network: 'fz', spec: { ...natSpec, bridge: UNOWNED.nic } },
  { op: 'nft.network', network: 'fz', spec: { ...natSpec, bridge: UNOWNED.bridge } },
  { op: 'dnsmasq.start', spec: { ...natSpec, bridge: UNOWNED.bridge } },
  { op: 'dnsmasq.start', spec: { ...natSpec, bridge: UNOWNED.nic } },
  { op: 'libvirt.undefine', network: UNOWNED.libvirtNetwork },
  { op: 'libvirt.stop', network: UNOWNED.libvirtNetwork },
  { op: 'libvirt.start', network: UNOWNED.libvirtNetwork },
  { op: 'libvirt.autostart', network: UNOWNED.libvirtNetwork, enabled: true },
  { op: 'libvirt.define', spec: { ...libvirtSpec, name: UNOWNED.libvirtNetwork } },
  { op: 'libvirt.define', spec: { ...libvirtSpec, bridge: UNOWNED.libvirtBridge } },
];

/** strings that would do harm if they reached a shell, a command line, a file path, XML, nft or a log unescaped */
const INJECTIONS = [
  '; rm -rf / #', '$(reboot)', '`id`', '| nc 10.0.0.1 4444', '&& ip link del eth0', '../../../../etc/shadow', '/etc/passwd', '..',
  'eth0\nlink delete eth0', 'eth0\r\nflush ruleset', 'a\u0000b', '-rf', '--help', '-n', 'kvmnet:stolen', "' OR '1'='1", '%s%s%n',
  '{{7*7}}', '${7*7}', "]]></name><forward mode='nat'/><name>x", '<!ENTITY xxe SYSTEM "file:///etc/shadow">', '"; flush ruleset; "',
  'table ip filter { chain input { policy drop; } }', 'eth0 ', ' eth0', 'ETH0', 'eth0.', 'virbr0', 'br-other', 'lo', '*', '?', '~root',
  '\u202eeth0', 'é', '网络', 'mạng', '\ud800', '0x41', '1e999', '-1', '4294967296', 'A'.repeat(16), 'A'.repeat(300), '', ' ',
];

const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, 2 ** 53, true, false, [], [1, 2], {}, { $gt: '' }, 'x', '', Number.MAX_VALUE];

const VALID_REQUESTS = [{ method: 'ping' }, { method: 'observe' }];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** paths to every leaf of a value (object keys and array indexes) */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: Record<string | number, unknown> = Array.isArray(root) ? [...root] as unknown as Record<number, unknown> : { ...(root as object) };
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), value);
  return copy;
}

const CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789{}[]":,.-_ \\/\'`$;|&<>!@#%^*()\t\u00e9\u4e2d\u0000\u007f';

function garbage(random: Random): string {
  return Array.from({ length: random.int(1, 200) }, () => random.pick([...CHARSET])).join('');
}

let counter = 0;
const nextId = (): string => `fz${++counter}`;

function applyOf(steps: unknown[], random: Random): Record<string, unknown> {
  return { id: nextId(), method: 'apply', plan: { ...(random.chance(0.2) ? { description: 'fuzz' } : {}), steps } };
}

function templateRequest(random: Random): Record<string, unknown> {
  const steps = Array.from({ length: random.int(1, 4) }, () => structuredClone(random.pick(TEMPLATES)));
  return applyOf(steps, random);
}

/** a textual mutation of a valid request's JSON: may be valid JSON, rarely even a valid request */
function mutateText(text: string, random: Random): string {
  const at = random.int(0, text.length - 1);
  switch (random.int(0, 4)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + text.slice(at + 1);
    case 2: return text.slice(0, at) + random.pick([...CHARSET]) + text.slice(at);
    case 3: return text + text.slice(0, at);
    default: return text.replace(/[{}[\]]/g, (c) => (random.chance(0.1) ? '' : c));
  }
}

/** a line that is blank once the helper drops a trailing CR gets no answer at all */
function category(name: string, text: string, expect: Expectation): FuzzLine {
  const line = text.replace(/\n/g, ' ');
  return { category: name, line, expect: line.replace(/\r$/, '').trim() === '' ? 'no answer' : expect };
}

const generators: { name: string; weight: number; make(random: Random): FuzzLine }[] = [
  { name: 'random bytes', weight: 18, make: (r) => category('random bytes', garbage(r), 'refused') },
  { name: 'malformed JSON', weight: 15, make: (r) => category('malformed JSON', mutateText(JSON.stringify(r.chance(0.5) ? templateRequest(r) : { id: nextId(), ...r.pick(VALID_REQUESTS) }), r), 'any') },
  { name: 'JSON that is no request', weight: 8, make: (r) => category('JSON that is no request', JSON.stringify(r.pick<Json>([null, 0, 'ping', true, [], [{ id: 'x', method: 'ping' }], { method: 'ping' }, { id: nextId() }, { id: nextId(), method: 'reboot' }, { id: nextId(), method: 'apply' }, { id: nextId(), method: 'ping', extra: 1 }, { id: nextId(), method: 'apply', plan: { steps: [] } }])), 'refused') },
  { name: 'wrong types', weight: 15, make: (r) => {
    const request = r.chance(0.3) ? { id: nextId(), ...r.pick(VALID_REQUESTS) } : templateRequest(r);
    const path = r.pick(leaves(request).concat([['plan'], ['plan', 'steps'], ['id'], ['method']]));
    const mutated = setAt(request, path, r.pick(WRONG_VALUES));
    return category('wrong types', JSON.stringify(mutated), 'any');
  } },
  { name: 'injection strings', weight: 20, make: (r) => {
    const request = r.chance(0.1) ? { id: nextId(), ...r.pick(VALID_REQUESTS) } : templateRequest(r);
    const strings = leaves(request).filter((p) => typeof p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], request) === 'string');
    let mutated: unknown = request;
    for (let i = 0, n = r.int(1, 3); i < n; i++) mutated = setAt(mutated, r.pick(strings), r.pick(INJECTIONS) + (r.chance(0.3) ? r.pick(INJECTIONS) : ''));
    return category('injection strings', JSON.stringify(mutated), 'any');
  } },
  { name: 'unowned targets', weight: 4, make: (r) => {
    // alone or after steps that would otherwise be fine: the whole plan is refused, nothing runs
    const before = r.chance(0.5) ? [structuredClone(r.pick(TEMPLATES.slice(0, 3)))] : [];
    return category('unowned targets', JSON.stringify(applyOf([...before, structuredClone(r.pick(UNOWNED_STEPS))], r)), 'refused');
  } },
  { name: 'valid ping', weight: 5, make: () => category('valid ping', JSON.stringify({ id: nextId(), method: 'ping' }), 'answered') },
  { name: 'valid observe', weight: 0.5, make: () => category('valid observe', JSON.stringify({ id: nextId(), method: 'observe' }), 'answered') },
  { name: 'huge payloads', weight: 0.5, make: (r) => {
    const size = r.pick([900_000, 1_048_500, 1_048_577, 2_000_000]);
    const line = r.chance(0.5)
      ? JSON.stringify({ id: nextId(), method: 'apply', plan: { description: 'x'.repeat(size), steps: [TEMPLATES[0]] } })
      : JSON.stringify({ id: nextId(), method: 'apply', plan: { steps: Array.from({ length: Math.ceil(size / 80) }, () => TEMPLATES[5]) } });
    return category('huge payloads', line, 'refused');
  } },
  { name: 'deep nesting', weight: 1, make: (r) => {
    const depth = r.pick([100, 10_000, 200_000]);
    return category('deep nesting', `{"id":"${nextId()}","method":"apply","plan":{"steps":${'['.repeat(depth)}${']'.repeat(depth)}}}`, 'refused');
  } },
  { name: 'extra fields', weight: 5, make: (r) => {
    const request = r.chance(0.5) ? { id: nextId(), ...r.pick(VALID_REQUESTS) } : templateRequest(r);
    const objects = leaves(request).map((p) => p.slice(0, -1)).filter((p) => p.length === 0 || typeof p.at(-1) === 'string' || typeof p.at(-1) === 'number');
    const path = r.pick(objects);
    const target = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], request);
    // every object of the protocol is strict: an unknown key is refused wherever it is
    if (target === null || typeof target !== 'object' || Array.isArray(target)) return category('extra fields', JSON.stringify({ ...request, [r.pick(['__proto__', 'constructor', 'exec', 'shell', 'cmd'])]: r.pick(INJECTIONS) }), 'refused');
    return category('extra fields', JSON.stringify(setAt(request, [...path, r.pick(['exec', 'shell', 'cmd', 'script', 'xml'])], r.pick(INJECTIONS))), 'refused');
  } },
];

const totalWeight = generators.reduce((sum, g) => sum + g.weight, 0);

/** the n lines of one run, the same for the same seed */
export function fuzzedLines(random: Random, n: number): FuzzLine[] {
  counter = 0;
  return Array.from({ length: n }, () => {
    let roll = random.next() * totalWeight;
    for (const g of generators) {
      roll -= g.weight;
      if (roll < 0) return g.make(random);
    }
    return generators[0]!.make(random);
  });
}
