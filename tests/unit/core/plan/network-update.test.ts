import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import type { LibvirtNetwork } from '../../../../main/core/host-snapshot';
import { planDelete } from '../../../../main/core/plan/network-plans';
import { planNetworkUpdate, withIntent } from '../../../../main/core/plan/network-update';
import { context } from './plan-fixture';

const forward = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.80.0.5', port: { start: 80, end: 80 } } } as const;
const host = { mac: '52:54:00:00:00:05', ip: '10.80.0.5', name: 'web' };
const direct: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
};
const libvirt: NetworkSpec = { ...direct, backend: 'libvirt', bridge: 'virbr5' };
const record = { version: 1 as const, spec: direct };

describe('withIntent', () => {
  it('keeps empty lists out, so a network without forwards is written as before forwards existed', () => {
    expect(withIntent({ ...direct, forwards: [forward] }, [], [])).toEqual(direct);
    expect(withIntent(direct, [forward], [host])).toEqual({ ...direct, forwards: [forward], reservations: [host] });
  });
});

describe('planNetworkUpdate', () => {
  it('direct and running: the table, then the running dnsmasq, then the record last', () => {
    const next = withIntent(direct, [forward], [host]);
    expect(planNetworkUpdate({ current: direct, record, active: true }, next, 'd').steps).toEqual([
      { op: 'nft.network', network: 'lab', spec: next },
      { op: 'dnsmasq.hosts', network: 'lab', bridge: 'kvbr0', reservations: [host] },
      { op: 'record.write', record: { version: 1, spec: next } },
    ]);
  });

  it('direct and stopped: only the record; the next start renders everything from it', () => {
    const next = withIntent(direct, [forward], []);
    expect(planNetworkUpdate({ current: direct, record, active: false }, next, 'd').steps).toEqual([{ op: 'record.write', record: { version: 1, spec: next } }]);
  });

  it('direct: a reservation change leaves the firewall alone', () => {
    const next = withIntent(direct, [], [host]);
    expect(planNetworkUpdate({ current: direct, record, active: true }, next, 'd').steps.map((s) => s.op)).toEqual(['dnsmasq.hosts', 'record.write']);
  });

  it('libvirt and running: the definition, the live reservations, then the DNAT; the last forward removes the network from KVMNet\'s table', () => {
    const current = withIntent(libvirt, [forward], [host]);
    const moved = { ...host, ip: '10.80.0.6' };
    expect(planNetworkUpdate({ current, active: true }, withIntent(libvirt, [], [moved]), 'l').steps).toEqual([
      { op: 'libvirt.define', spec: withIntent(libvirt, [], [moved]) },
      { op: 'libvirt.dhcpHost', network: 'lab', host, present: false },
      { op: 'libvirt.dhcpHost', network: 'lab', host: moved, present: true },
      // the last libvirt forward on the host: the unit that would put them back at boot goes first
      { op: 'boot.forwardsUnit', enabled: false },
      { op: 'nft.network', network: 'lab', spec: null },
    ]);
    // another libvirt network still has forwards: its unit stays
    expect(planNetworkUpdate({ current, active: true, otherLibvirtForwards: true }, withIntent(libvirt, [], [host]), 'l').steps.map((s) => s.op)).toEqual(['libvirt.define', 'nft.network']);
  });

  it('libvirt and stopped: the definition, and the DNAT ready for when libvirt starts it; no live reservations', () => {
    const next = withIntent(libvirt, [forward], [host]);
    expect(planNetworkUpdate({ current: libvirt, active: false }, next, 'l').steps).toEqual([
      { op: 'libvirt.define', spec: next },
      { op: 'nft.network', network: 'lab', spec: next },
      // the first libvirt forward on the host: a boot unit puts them back after libvirtd
      { op: 'boot.forwardsUnit', enabled: true },
    ]);
  });
});

describe('planDelete of a libvirt network with forwards', () => {
  it('takes its forwards out of KVMNet\'s table first, before libvirt stops it', () => {
    const network: LibvirtNetwork = { name: 'lab', active: true, autostart: false, persistent: true, managedByKvmnet: true, bridge: 'virbr5' };
    const forwarded = { ...context([], '1'), forwardedLibvirt: ['lab'] };
    expect(planDelete({ backend: 'libvirt', network }, forwarded).steps.map((s) => s.op)).toEqual(['boot.forwardsUnit', 'nft.network', 'libvirt.stop', 'libvirt.undefine']);
    expect(planDelete({ backend: 'libvirt', network }, { ...forwarded, forwardedLibvirt: ['lab', 'other'] }).steps.map((s) => s.op)).toEqual(['nft.network', 'libvirt.stop', 'libvirt.undefine']);
    expect(planDelete({ backend: 'libvirt', network }, context([], '1')).steps.map((s) => s.op)).toEqual(['libvirt.stop', 'libvirt.undefine']);
  });
});
