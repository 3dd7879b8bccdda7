import { describe, expect, it } from 'vitest';
import { CheckId } from '../../../../main/core/doctor/doctor-report';
import { LinkKind } from '../../../../main/core/host-snapshot';
import { ElevationMethod, RefusalReason } from '../../../../main/core/privilege-state';
import { createAppI18n, messages } from '../../../../renderer/src/i18n';
import { LANGUAGES } from '../../../../renderer/src/i18n/languages';
import { THEMES } from '../../../../renderer/src/stores/settings';

type Tree = { [key: string]: string | Tree };
const en = messages.en as unknown as Tree;

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const node = (path: string): string | Tree | undefined =>
  path.split('.').reduce<string | Tree | undefined>((at, key) => (typeof at === 'object' ? at[key] : undefined), en);

const params = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

// the renderer's sources as text, read by Vite at test time; i18n/ holds the messages themselves
const SOURCES = import.meta.glob<string>(['../../../../renderer/src/**/*.{vue,ts}', '!../../../../renderer/src/i18n/**'], { query: '?raw', import: 'default', eager: true });

/** Every call of t() / $t() in the renderer: a literal key, a literal prefix of a computed key, or something this test cannot check. */
function translationCalls() {
  const literal: { file: string; key: string }[] = [];
  const prefixes: { file: string; prefix: string }[] = [];
  const unreadable: string[] = [];
  for (const [file, text] of Object.entries(SOURCES)) {
    const name = file.replace('../../../../renderer/src/', '');
    for (const m of text.matchAll(/(?<![\w$.])\$?t\(\s*(?:'([^']*)'|"([^"]*)"|`([^`$]*)\$\{|([^)\s]*))/g)) {
      const key = m[1] ?? m[2];
      if (key !== undefined) literal.push({ file: name, key });
      else if (m[3]) prefixes.push({ file: name, prefix: m[3].replace(/\.$/, '') });
      else unreadable.push(`${name}: t(${m[4]}`);
    }
  }
  return { literal, prefixes, unreadable };
}

describe('locales', () => {
  const reference = leaves(en);

  it.each(Object.keys(messages))('%s has exactly the keys of en, each a non-empty string', (code) => {
    const tree = leaves(messages[code as keyof typeof messages] as unknown as Tree);
    expect([...tree.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [key, value] of tree) expect(value.trim(), key).not.toBe('');
  });

  it.each(Object.keys(messages))('%s uses the same {placeholders} as en in every message', (code) => {
    const tree = leaves(messages[code as keyof typeof messages] as unknown as Tree);
    for (const [key, value] of reference) expect(params(tree.get(key) ?? ''), key).toEqual(params(value));
  });

  // product names and kernel terms stay as they are; anything else equal to English was not translated
  const SAME_IN_EVERY_LANGUAGE = new Set([
    'app.name', 'overview.libvirt.title', 'owner.badge', 'link.mtu', 'kind.physical', 'kind.wireless', 'kind.tap', 'kind.tun',
    'kind.veth', 'kind.macvlan', 'kind.macvtap', 'kind.vlan', 'kind.wireguard', 'kind.loopback',
    'networks.kind.nat', 'networks.kind.other', 'networks.backend.libvirt', 'networks.owner.kvmnet', 'wizard.mode.nat.title',
    'wizard.backendChoice.libvirt', 'settings.backend.libvirt', 'wizard.field.mtu', 'wizard.diagram.internet', 'wizard.diagram.lan',
    'wizard.review.xml', 'attach.qemu', 'attach.virtInstall', 'attach.libvirtXml', 'attach.qemuIfup',
    'topology.nodeKind.veth', 'topology.edgeKind.nat', 'topology.rate.short', 'topology.summary.libvirtForward',
    'topology.details.libvirt', 'topology.nodeLabelNoStatus',
    'bridged.list.persistence.networkmanager', 'bridged.list.persistence.systemd-networkd',
    'guests.attach.qemuIfdown',
  ]);
  it.each(['vi', 'zh-CN'] as const)('%s is translated, not a copy of en', (code) => {
    const tree = leaves(messages[code] as unknown as Tree);
    const copied = [...reference].filter(([key, value]) => tree.get(key) === value && !SAME_IN_EVERY_LANGUAGE.has(key)).map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it.each(LANGUAGES.map((l) => l.code))('every %s message compiles and fills its placeholders', (code) => {
    const { t } = createAppI18n(code).global;
    for (const [key, value] of reference) {
      const filled = Object.fromEntries(params(value).map((p) => [p, `<${p}>`]));
      const out = t(key, filled, 2);
      expect(out, key).not.toBe(key);
      expect(out, key).not.toMatch(/\{\w+\}/);
    }
  });

  it('has a message for every value of the enums the UI names', () => {
    const keysOf = (path: string) => Object.keys(node(path) as Tree).sort();
    expect(keysOf('kind')).toEqual([...LinkKind.options].sort());
    expect(keysOf('doctor.check')).toEqual([...CheckId.options].sort());
    expect(keysOf('privilege.refused')).toEqual([...RefusalReason.options].sort());
    expect(keysOf('privilege.elevated')).toEqual([...ElevationMethod.options].sort());
    expect(keysOf('settings.theme').filter((k) => k !== 'label' && k !== 'hint')).toEqual([...THEMES].sort());
  });
});

describe('keys used by the renderer', () => {
  const { literal, prefixes, unreadable } = translationCalls();

  it('finds translation calls to check', () => {
    expect(Object.keys(SOURCES)).toContain('../../../../renderer/src/components/TheStatusBar.vue');
    expect(literal.length).toBeGreaterThan(50);
    expect(prefixes.length).toBeGreaterThan(0);
  });

  it('names every key literally or by a literal prefix', () => {
    expect(unreadable).toEqual([]);
  });

  it('uses only keys that exist in en', () => {
    const missing = literal.filter(({ key }) => typeof node(key) !== 'string').map(({ file, key }) => `${file}: ${key}`);
    const missingPrefixes = prefixes.filter(({ prefix }) => typeof node(prefix) !== 'object').map(({ file, prefix }) => `${file}: ${prefix}.*`);
    expect([...missing, ...missingPrefixes]).toEqual([]);
  });

  it('leaves no message unused', () => {
    const used = new Set(literal.map((l) => l.key));
    const reachable = (key: string) => used.has(key) || prefixes.some(({ prefix }) => key.startsWith(`${prefix}.`));
    expect([...leaves(en).keys()].filter((k) => !reachable(k))).toEqual([]);
  });
});
