import { describe, expect, it } from 'vitest';
import { checkDuplicateMac, stableTapMac } from '../../../../../main/core/doctor/checks/duplicate-mac';
import { healthyFacts, link } from '../doctor-facts-fixture';

describe('duplicate-mac', () => {
  it('is ok when every MAC is unique, counting a VM and its own lease once each', () => {
    expect(checkDuplicateMac(healthyFacts())).toMatchObject({ status: 'ok', detail: 'No two of the 4 VMs, guests with a lease and taps share a MAC address.' });
  });

  it('fails when two running VMs share a MAC (case does not matter)', () => {
    const facts = healthyFacts();
    facts.snapshot.libvirt.domains.push({ name: 'db', state: 'running', interfaces: [{ type: 'network', mac: '52:54:00:AA:BB:01', source: 'default' }] });
    const c = checkDuplicateMac(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'VM "web" and VM "db" share the MAC 52:54:00:aa:bb:01' });
    expect(c.fix).toBeUndefined();
  });

  it('only warns while one of the two VMs is shut off', () => {
    const facts = healthyFacts();
    facts.snapshot.libvirt.domains.push({ name: 'db', state: 'shut off', interfaces: [{ type: 'network', mac: '52:54:00:aa:bb:01' }] });
    expect(checkDuplicateMac(facts)).toMatchObject({ status: 'warn', detail: expect.stringContaining('once they run at the same time') });
  });

  it('fails on two taps with one MAC and gives the second a stable address of its own', () => {
    const facts = healthyFacts();
    facts.snapshot.links.push(link('kvtap1', 'tap', [], { master: 'kvbr0', owner: 'lab', mac: '02:4b:00:00:00:02' }));
    const c = checkDuplicateMac(facts);
    expect(c).toMatchObject({
      status: 'fail',
      summary: 'Tap kvtap0 and tap kvtap1 share the MAC 02:4b:00:00:00:02',
      fix: { commands: [`ip link set dev kvtap1 address ${stableTapMac('kvtap1')}`], safe: true, undo: 'Set the old address back: ip link set dev kvtap1 address 02:4b:00:00:00:02' },
    });
    expect(stableTapMac('kvtap1')).toMatch(/^02:4b(:[0-9a-f]{2}){4}$/);
    expect(stableTapMac('kvtap1')).toBe(stableTapMac('kvtap1'));
  });

  it('fails when a guest uses its host-side tap’s MAC, and the fix changes the tap (not safe for a foreign tap)', () => {
    const facts = healthyFacts();
    facts.snapshot.links.push(link('tap7', 'tap', [], { master: 'kvbr0', mac: '52:54:00:aa:bb:02' }));
    const c = checkDuplicateMac(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'The guest with lease 10.80.0.150 on "lab" and tap tap7 share the MAC 52:54:00:aa:bb:02', fix: { safe: false } });
    expect(c.fix!.commands).toEqual([`ip link set dev tap7 address ${stableTapMac('tap7')}`]);
  });

  it('warns about QEMU’s default MAC, which the next default VM will clash with', () => {
    const facts = healthyFacts();
    facts.leases.push({ network: 'lab', mac: '52:54:00:12:34:56', ip: '10.80.0.151' });
    expect(checkDuplicateMac(facts)).toMatchObject({ status: 'warn', summary: 'The guest with lease 10.80.0.151 on "lab" uses QEMU\'s default MAC 52:54:00:12:34:56' });
  });
});
