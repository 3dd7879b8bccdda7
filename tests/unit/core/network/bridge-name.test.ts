import { describe, expect, it } from 'vitest';
import { IFNAME_MAX_BYTES, InterfaceName } from '../../../../main/core/names';
import { deriveBridgeName, takenInterfaceNames } from '../../../../main/core/network/bridge-name';
import { laptopContext } from './host-fixture';

const none = new Set<string>();

describe('deriveBridgeName', () => {
  it('prefixes the network name', () => {
    expect(deriveBridgeName('lab', none)).toBe('kv-lab');
  });

  it('cuts long names to the 15-byte kernel limit', () => {
    const name = deriveBridgeName('averyverylongnetworkname', none);
    expect(name).toBe('kv-averyverylon');
    expect(new TextEncoder().encode(name).length).toBe(IFNAME_MAX_BYTES);
  });

  it('adds a counter on a clash', () => {
    expect(deriveBridgeName('lab', new Set(['kv-lab']))).toBe('kv-lab-2');
    expect(deriveBridgeName('lab', new Set(['kv-lab', 'kv-lab-2']))).toBe('kv-lab-3');
  });

  it('keeps the counter inside 15 bytes for names sharing a long prefix', () => {
    const first = deriveBridgeName('verylongname-a', none);
    const second = deriveBridgeName('verylongname-b', new Set([first]));
    expect(first).toBe('kv-verylongname');
    expect(second).toBe('kv-verylongna-2');
    const taken = new Set([first]);
    for (let i = 0; i < 120; i++) taken.add(deriveBridgeName('verylongname-b', taken));
    expect(taken.size).toBe(121);
    for (const n of taken) expect(new TextEncoder().encode(n).length).toBeLessThanOrEqual(IFNAME_MAX_BYTES);
  });

  it('does not leave a dangling separator before the counter', () => {
    expect(deriveBridgeName('abcdefghi-xyz', new Set(['kv-abcdefghi-xy']))).toBe('kv-abcdefghi-2');
  });

  it('always gives a valid interface name', () => {
    for (const n of ['a', 'A_b', '9-lives', 'x'.repeat(32), 'under_score__']) {
      expect(InterfaceName.safeParse(deriveBridgeName(n, new Set([`kv-${n}`.slice(0, 15)]))).success).toBe(true);
    }
  });
});

describe('takenInterfaceNames', () => {
  it("holds the host's links and other networks' bridges, not the network's own", () => {
    const c = laptopContext();
    c.existing = [...c.existing, { name: 'old', bridge: 'kv-old' }];
    const taken = takenInterfaceNames(c, 'lab');
    expect([...taken].sort()).toEqual(['docker0', 'eth0', 'kv-old', 'lo', 'virbr0', 'vnet0', 'wlan0']);
    expect(takenInterfaceNames(c, 'dev').has('kv-lab')).toBe(true);
  });
});
