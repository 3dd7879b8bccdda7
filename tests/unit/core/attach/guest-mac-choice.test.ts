import { describe, expect, it } from 'vitest';
import { chooseGuestMac, takenMacs } from '../../../../main/core/attach/guest-mac-choice';
import { laptopSnapshot } from '../network/host-fixture';
import { record, specs } from '../plan/plan-fixture';

describe('takenMacs and chooseGuestMac', () => {
  const snapshot = {
    ...laptopSnapshot(),
    libvirt: { ...laptopSnapshot().libvirt, domains: [{ name: 'web', state: 'shut off', interfaces: [{ type: 'network', mac: '52:54:00:00:00:01', source: 'lab' }] }] },
  };
  const withTap = { ...record(specs.nat), taps: [{ name: 'kvt-lab-0', user: 1000, mac: '52:54:00:00:00:02' }] };
  const used = takenMacs(snapshot, [{ mac: '52:54:00:00:00:03', ip: '10.80.0.130', hostname: 'box' }], [withTap]);

  it.each([
    ['52:54:00:00:00:01', 'the libvirt domain "web"'],
    ['52:54:00:00:00:02', 'the guest behind KVMNet\'s tap "kvt-lab-0"'],
    ['52:54:00:00:00:03', 'a DHCP lease (10.80.0.130 "box")'],
  ])('counts %s as used by %s', (mac, who) => {
    expect(used.get(mac)).toBe(who);
    const choice = chooseGuestMac(mac.toUpperCase(), used);
    expect(choice).toMatchObject({ ok: false, issue: { field: 'mac', message: expect.stringContaining(`${mac} is already used by ${who}`) } });
  });

  it('generates a free one when none is asked for, moving past the ones in use', () => {
    // the random start lands on a taken address: the next free one is chosen
    expect(chooseGuestMac(undefined, used, () => 1 / 0x1000000)).toEqual({ ok: true, mac: '52:54:00:00:00:04' });
  });

  it('takes a free MAC the user gives, normalised', () => {
    expect(chooseGuestMac('52-54-00-AB-CD-EF', used)).toEqual({ ok: true, mac: '52:54:00:ab:cd:ef' });
  });
});
