import { describe, expect, it } from 'vitest';
import { takenMacs } from '../../../../main/core/attach/guest-mac-choice';
import { guestMacOfTap, tapMacFor } from '../../../../main/core/attach/tap-mac';
import { laptopSnapshot, link } from '../network/host-fixture';

describe('the host side of a guest tap', () => {
  it('carries the guest MAC with first octet fe, and gives it back', () => {
    expect(tapMacFor('52:54:00:ab:cd:ef')).toBe('fe:54:00:ab:cd:ef');
    expect(guestMacOfTap('fe:54:00:ab:cd:ef')).toBe('52:54:00:ab:cd:ef');
    expect(guestMacOfTap('d6:e7:1a:af:d1:0d')).toBeUndefined();
  });

  it('makes a KVMNet tap\'s guest MAC taken, with no record (taps on libvirt networks have none)', () => {
    const snapshot = laptopSnapshot();
    snapshot.links.push(link('kvt-lab-0', 'tap', [], { owner: 'lab', alias: 'kvmnet:lab', mac: 'fe:54:00:ab:cd:ef' }));
    // a tap KVMNet did not make says nothing about guests
    snapshot.links.push(link('tap7', 'tap', [], { mac: 'fe:54:00:00:00:07' }));
    const used = takenMacs(snapshot, [], []);
    expect(used.get('52:54:00:ab:cd:ef')).toBe('the guest behind KVMNet\'s tap "kvt-lab-0"');
    expect(used.has('52:54:00:00:00:07')).toBe(false);
  });
});
