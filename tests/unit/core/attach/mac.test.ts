import { describe, expect, it } from 'vitest';
import {
  checkGuestMac, generateMac, GuestMac, isLocallyAdministered, isMulticast, MacAddress, normalizeMac, usedMacs,
} from '../../../../main/core/attach/mac';
import { laptopSnapshot, link } from '../network/host-fixture';

/** a random() that returns the given values in turn, then repeats the last */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] as number;
};

describe('MacAddress', () => {
  it('normalises case, blanks and "-" separators to lowercase with ":"', () => {
    expect(MacAddress.parse(' 52:54:00:AB:CD:EF ')).toBe('52:54:00:ab:cd:ef');
    expect(MacAddress.parse('52-54-00-ab-cd-ef')).toBe('52:54:00:ab:cd:ef');
  });

  it.each(['52:54:00:ab:cd', '52:54:00:ab:cd:ef:01', '52:54:00:ab:cd:eg', '525400abcdef', '5:54:00:ab:cd:ef', ''])('refuses %j, with an example', (text) => {
    const result = MacAddress.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/not a MAC address; write six pairs of hex digits joined by ":", e\.g\. 52:54:00:/);
  });

  it('normalizeMac returns undefined for text that is not a MAC', () => {
    expect(normalizeMac('AA:BB:CC:DD:EE:FF')).toBe('aa:bb:cc:dd:ee:ff');
    expect(normalizeMac('not a mac')).toBeUndefined();
  });
});

describe('isMulticast and isLocallyAdministered', () => {
  it('read the two low bits of the first octet', () => {
    expect(isMulticast('01:00:5e:00:00:01')).toBe(true);
    expect(isMulticast('ff:ff:ff:ff:ff:ff')).toBe(true);
    expect(isMulticast('52:54:00:12:34:56')).toBe(false);
    expect(isLocallyAdministered('52:54:00:12:34:56')).toBe(true);
    expect(isLocallyAdministered('00:16:3e:a5:fb:48')).toBe(false);
    expect(isLocallyAdministered('03:00:00:00:00:00')).toBe(true);
  });
});

describe('GuestMac', () => {
  it('accepts a unicast MAC', () => {
    expect(GuestMac.parse('52:54:00:AA:00:01')).toBe('52:54:00:aa:00:01');
  });

  it.each([
    ['01:00:5e:00:00:01', /multicast/],
    ['00:00:00:00:00:00', /all-zero/],
    ['fe:54:00:12:34:56', /libvirt reserves for the host side of a guest's tap/],
  ])('refuses %s', (mac, why) => {
    expect(GuestMac.safeParse(mac).error?.issues[0]?.message).toMatch(why);
  });
});

describe('generateMac', () => {
  it('draws 52:54:00 plus three random octets', () => {
    expect(generateMac(new Set(), () => 0.5)).toBe('52:54:00:80:00:00');
    expect(generateMac(new Set(), () => 0)).toBe('52:54:00:00:00:00');
    expect(generateMac(new Set(), () => 0.999999999)).toBe('52:54:00:ff:ff:ff');
  });

  it('is deterministic for a given random source, and varies with it', () => {
    const a = generateMac(new Set(), sequence(0.1234));
    expect(generateMac(new Set(), sequence(0.1234))).toBe(a);
    expect(generateMac(new Set(), sequence(0.9876))).not.toBe(a);
  });

  it('moves past MACs in use', () => {
    const used = new Set(['52:54:00:80:00:00', '52:54:00:80:00:01']);
    expect(generateMac(used, () => 0.5)).toBe('52:54:00:80:00:02');
  });

  it('accepts the map usedMacs returns', () => {
    const used = new Map([['52:54:00:80:00:00', 'the libvirt domain "web"']]);
    expect(generateMac(used, () => 0.5)).toBe('52:54:00:80:00:01');
  });

  it("never hands out QEMU's default MACs (…12:34:56 and the NICs after it)", () => {
    const start = 0x123456 / 0x1000000;
    expect(generateMac(new Set(), () => start)).toBe('52:54:00:12:35:00');
    expect(generateMac(new Set(), () => 0x123455 / 0x1000000)).toBe('52:54:00:12:34:55');
  });

  it('wraps around at the end of the range', () => {
    expect(generateMac(new Set(['52:54:00:ff:ff:ff']), () => 0.999999999)).toBe('52:54:00:00:00:00');
  });

  it('stays within the range when random misbehaves', () => {
    expect(generateMac(new Set(), () => 1)).toBe('52:54:00:ff:ff:ff');
    expect(generateMac(new Set(), () => -3)).toBe('52:54:00:00:00:00');
  });

  it('ends with an error instead of looping when no address is free', () => {
    const full = { has: () => true, size: 300 };
    expect(() => generateMac(full, () => 0)).toThrow(/every 52:54:00:xx:xx:xx address is in use/);
  });

  it('finds a free address even when the clashes run past QEMU\'s default run', () => {
    const used = new Set(Array.from({ length: 40 }, (_, i) => `52:54:00:12:34:${(0x2e + i).toString(16)}`));
    expect(generateMac(used, () => 0x12342e / 0x1000000)).toBe('52:54:00:12:35:00');
  });
});

describe('usedMacs', () => {
  const snapshot = laptopSnapshot();
  snapshot.links.push(link('enp3s0', 'physical', [], { mac: '1C:69:7A:01:23:45' }), link('lo2', 'loopback', [], { mac: '00:00:00:00:00:00' }));
  snapshot.libvirt.domains.push(
    { name: 'web', state: 'running', interfaces: [{ type: 'network', mac: '52:54:00:AA:00:01', source: 'default' }] },
    { name: 'db', state: 'shut off', interfaces: [{ type: 'bridge', mac: '52:54:00:aa:00:02' }, { type: 'user' }] },
  );

  it('gathers libvirt domains (stopped ones too), KVMNet taps, host links and leases, normalised', () => {
    const used = usedMacs(
      snapshot,
      [{ mac: '52:54:00:bb:00:01', ip: '10.80.0.130', hostname: 'plain-qemu' }, { mac: 'junk' }],
      [{ name: 'kvt-lab-0', mac: '52:54:00:CC:00:01' }],
    );
    expect(used.get('52:54:00:aa:00:01')).toBe('the libvirt domain "web"');
    expect(used.get('52:54:00:aa:00:02')).toBe('the libvirt domain "db"');
    expect(used.get('52:54:00:cc:00:01')).toBe('the guest behind KVMNet\'s tap "kvt-lab-0"');
    expect(used.get('1c:69:7a:01:23:45')).toBe('the host interface "enp3s0"');
    expect(used.get('52:54:00:bb:00:01')).toBe('a DHCP lease (10.80.0.130 "plain-qemu")');
    expect(used.has('00:00:00:00:00:00')).toBe(false);
    expect([...used.keys()].every((m) => normalizeMac(m) === m)).toBe(true);
  });

  it('names a lease without details plainly', () => {
    expect(usedMacs(laptopSnapshot(), [{ mac: '52:54:00:bb:00:09' }], []).get('52:54:00:bb:00:09')).toBe('a DHCP lease');
  });

  it('feeds generateMac so that a new MAC clashes with none of them', () => {
    const used = usedMacs(snapshot, [], []);
    expect(generateMac(used, () => 0xaa0001 / 0x1000000)).toBe('52:54:00:aa:00:03');
  });
});

describe('checkGuestMac', () => {
  const used = new Map([['52:54:00:aa:00:01', 'the libvirt domain "web"']]);

  it('accepts and normalises a free MAC', () => {
    expect(checkGuestMac('52:54:00:AA:00:09', used)).toEqual({ ok: true, mac: '52:54:00:aa:00:09' });
  });

  it.each([
    ['zz:54:00:12:34:56', /^--mac "zz:54:00:12:34:56" is not a MAC address; write six pairs .* or leave it out and KVMNet picks a free one$/],
    ['03:00:00:00:00:01', /^--mac 03:00:00:00:00:01 is a multicast address .*use one with an even first octet such as 52:54:00:xx:xx:xx/],
    ['00:00:00:00:00:00', /^--mac 00:00:00:00:00:00 is the all-zero address, which no NIC may use; give another/],
    ['FE:54:00:aa:00:01', /^--mac fe:54:00:aa:00:01 starts with fe, .*use 52:54:00:xx:xx:xx/],
    ['52:54:00:12:34:56', /^--mac 52:54:00:12:34:56 is QEMU's default MAC, .*cannot talk to each other; give another/],
    ['52:54:00:aa:00:01', /^--mac 52:54:00:aa:00:01 is already used by the libvirt domain "web"; .*give another, or leave it out/],
  ])('refuses %s naming the field and the fix', (text, message) => {
    const result = checkGuestMac(text, used);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue.field).toBe('mac');
    expect(result.issue.message).toMatch(message);
  });

  it('uses the caller\'s label for the field', () => {
    const result = checkGuestMac('nope', used, 'MAC address');
    expect(!result.ok && result.issue.message).toMatch(/^MAC address "nope"/);
  });
});
