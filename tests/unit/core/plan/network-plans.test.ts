import { describe, expect, it } from 'vitest';
import { planCreate, planDelete, planStart, planStop } from '../../../../main/core/plan/network-plans';
import { planDirectCreate } from '../../../../main/core/plan/direct-network';
import type { LibvirtNetwork } from '../../../../main/core/host-snapshot';
import { Plan } from '../../../../main/helper/protocol';
import { asLibvirt, context, record, running, specs, withoutForwardingLibvirt, bareSnapshot } from './plan-fixture';

const ops = (plan: Plan) => plan.steps.map((s) => s.op);

describe('planCreate, direct backend: exact steps per kind', () => {
  it('nat: bridge, address, IPv6 off, up, rules, ip_forward on (it was off), dnsmasq, record (remembering 0), boot unit', () => {
    const plan = planCreate(specs.nat, context([], '0'));
    expect(Plan.parse(plan)).toEqual(plan);
    expect(plan.steps).toEqual([
      { op: 'link.add', kind: 'bridge', name: 'kv-lab', network: 'lab', stp: false },
      { op: 'addr.add', dev: 'kv-lab', address: '10.80.0.1/24' },
      { op: 'sysctl.set', key: 'net.ipv6.conf.kv-lab.disable_ipv6', value: '1' },
      { op: 'link.setState', name: 'kv-lab', up: true },
      { op: 'nft.network', network: 'lab', spec: specs.nat },
      { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' },
      { op: 'dnsmasq.start', spec: specs.nat },
      { op: 'record.write', record: { version: 1, spec: specs.nat, ipForwardBefore: '0' } },
      { op: 'boot.unit', enabled: true },
    ]);
    expect(plan.description).toBe('create network lab (nat, direct)');
  });

  it('routed: like nat; with ip_forward already on there is no ip_forward step and nothing to remember', () => {
    const plan = planCreate(specs.routed, context([], '1'));
    expect(ops(plan)).toEqual(['link.add', 'addr.add', 'sysctl.set', 'link.setState', 'nft.network', 'dnsmasq.start', 'record.write', 'boot.unit']);
    expect(plan.steps[2]).toEqual({ op: 'sysctl.set', key: 'net.ipv6.conf.kv-routed.disable_ipv6', value: '1' });
    expect(plan.steps[6]).toEqual({ op: 'record.write', record: { version: 1, spec: specs.routed } });
  });

  it('hostonly: never touches ip_forward, runs dnsmasq (DNS even without DHCP)', () => {
    const plan = planCreate(specs.hostonly, context([], '0'));
    expect(ops(plan)).toEqual(['link.add', 'addr.add', 'sysctl.set', 'link.setState', 'nft.network', 'dnsmasq.start', 'record.write', 'boot.unit']);
    expect(plan.steps[2]).toEqual({ op: 'sysctl.set', key: 'net.ipv6.conf.kv-ho.disable_ipv6', value: '1' });
  });

  it('isolated: IPv6 off, bridge up and isolation rules only, no address (not even link-local), no dnsmasq', () => {
    const plan = planCreate(specs.isolated, context([], '0'));
    expect(plan.steps).toEqual([
      { op: 'link.add', kind: 'bridge', name: 'kv-iso', network: 'iso', stp: false },
      { op: 'sysctl.set', key: 'net.ipv6.conf.kv-iso.disable_ipv6', value: '1' },
      { op: 'link.setState', name: 'kv-iso', up: true },
      { op: 'nft.network', network: 'iso', spec: specs.isolated },
      { op: 'record.write', record: { version: 1, spec: specs.isolated } },
      { op: 'boot.unit', enabled: true },
    ]);
  });

  it('passes the MTU to the bridge and adds the IPv6 gateway after the IPv4 one, leaving IPv6 on', () => {
    const spec = { ...specs.nat, mtu: 9000, ipv6: { subnet: 'fd5a:c0de:80::/64', gateway: 'fd5a:c0de:80::1', dhcp: null } };
    const plan = planCreate(spec, context([], '1'));
    expect(plan.steps.slice(0, 4)).toEqual([
      { op: 'link.add', kind: 'bridge', name: 'kv-lab', network: 'lab', stp: false, mtu: 9000 },
      { op: 'addr.add', dev: 'kv-lab', address: '10.80.0.1/24' },
      { op: 'addr.add', dev: 'kv-lab', address: 'fd5a:c0de:80::1/64' },
      { op: 'link.setState', name: 'kv-lab', up: true },
    ]);
    expect(plan.steps.filter((s) => s.op === 'sysctl.set')).toEqual([]);
  });

  it('enables the boot unit only with the first direct network', () => {
    const second = planCreate(specs.hostonly, context([record(specs.nat, '0')], '1', running(bareSnapshot(), record(specs.nat))));
    expect(ops(second)).not.toContain('boot.unit');
    expect(ops(second).at(-1)).toBe('record.write');
  });
});

describe('planCreate, libvirt backend: exact steps per kind', () => {
  for (const kind of ['nat', 'routed', 'hostonly', 'isolated'] as const) {
    it(`${kind}: define, autostart, start; libvirt runs bridge, dnsmasq, firewall and ip_forward itself`, () => {
      const spec = asLibvirt(specs[kind]);
      const plan = planCreate(spec, context([], '0'));
      const expected = [
        { op: 'libvirt.define', spec },
        ...(spec.autostart ? [{ op: 'libvirt.autostart', network: spec.name, enabled: true }] : []),
        { op: 'libvirt.start', network: spec.name },
      ];
      expect(plan.steps).toEqual(expected);
      expect(Plan.parse(plan)).toEqual(plan);
    });
  }

  it('leaves autostart alone (libvirt defines networks without it) for --no-autostart', () => {
    expect(ops(planCreate(asLibvirt(specs.hostonly), context([], '0')))).toEqual(['libvirt.define', 'libvirt.start']);
  });
});

describe('planDelete', () => {
  it('direct, running, the only network: create read backwards, restoring ip_forward where it was turned on', () => {
    const r = record(specs.nat, '0');
    const plan = planDelete({ backend: 'direct', record: r, active: true }, context([r], '1', withoutForwardingLibvirt(running(bareSnapshot(), r))));
    expect(plan.steps).toEqual([
      { op: 'boot.unit', enabled: false },
      { op: 'record.delete', network: 'lab' },
      { op: 'dnsmasq.stop', network: 'lab' },
      { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '0' },
      { op: 'nft.network', network: 'lab', spec: null },
      { op: 'link.delete', name: 'kv-lab' },
    ]);
  });

  it('direct isolated: no dnsmasq to stop', () => {
    const r = record(specs.isolated);
    const plan = planDelete({ backend: 'direct', record: r, active: true }, context([r], '0'));
    expect(ops(plan)).toEqual(['boot.unit', 'record.delete', 'nft.network', 'link.delete']);
  });

  it('direct, stopped: only the record (and the bookkeeping) goes', () => {
    const r = record(specs.hostonly);
    const other = record(specs.isolated);
    const plan = planDelete({ backend: 'direct', record: r, active: false }, context([r, other], '0'));
    expect(plan.steps).toEqual([{ op: 'record.delete', network: 'ho' }]);
  });

  it('libvirt: stop when active, autostart off when on, undefine', () => {
    const network: LibvirtNetwork = { name: 'lab', active: true, autostart: true, persistent: true, bridge: 'kv-lab', forwardMode: 'nat', managedByKvmnet: true };
    expect(planDelete({ backend: 'libvirt', network }, context([], '1')).steps).toEqual([
      { op: 'libvirt.stop', network: 'lab' },
      { op: 'libvirt.autostart', network: 'lab', enabled: false },
      { op: 'libvirt.undefine', network: 'lab' },
    ]);
    const inactive = { ...network, active: false, autostart: false };
    expect(planDelete({ backend: 'libvirt', network: inactive }, context([], '1')).steps).toEqual([{ op: 'libvirt.undefine', network: 'lab' }]);
  });
});

describe('planStart and planStop', () => {
  const network: LibvirtNetwork = { name: 'lab', active: false, autostart: true, persistent: true, bridge: 'kv-lab', forwardMode: 'nat', managedByKvmnet: true };

  it('libvirt: start when stopped, stop when running, nothing otherwise', () => {
    expect(planStart({ backend: 'libvirt', network }, context([], '0')).steps).toEqual([{ op: 'libvirt.start', network: 'lab' }]);
    expect(planStop({ backend: 'libvirt', network }).steps).toEqual([]);
    const active = { ...network, active: true };
    expect(planStart({ backend: 'libvirt', network: active }, context([], '0')).steps).toEqual([]);
    expect(planStop({ backend: 'libvirt', network: active }).steps).toEqual([{ op: 'libvirt.stop', network: 'lab' }]);
  });

  it('direct stop tears the running part down and leaves record, boot unit and ip_forward alone', () => {
    const r = record(specs.nat, '0');
    expect(planStop({ backend: 'direct', record: r, active: true }).steps).toEqual([
      { op: 'dnsmasq.stop', network: 'lab' },
      { op: 'nft.network', network: 'lab', spec: null },
      { op: 'link.delete', name: 'kv-lab' },
    ]);
    expect(planStop({ backend: 'direct', record: r, active: false }).steps).toEqual([]);
  });

  it('direct start brings the running part up again; the record is rewritten only to take over the memory of ip_forward', () => {
    const remembered = record(specs.nat, '0');
    const started = planStart({ backend: 'direct', record: remembered, active: false }, context([remembered], '0'));
    expect(started.steps).toEqual(planDirectCreate(specs.nat, { ipForward: '0' }).steps);
    expect(started.steps).toContainEqual({ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' });

    // forwarding was on when this network was created, someone turned it off since: now KVMNet turns it on and remembers
    const plain = record(specs.nat);
    const taking = planStart({ backend: 'direct', record: plain, active: false }, context([plain], '0'));
    expect(taking.steps.at(-1)).toEqual({ op: 'record.write', record: { ...plain, ipForwardBefore: '0' } });
    expect(planStart({ backend: 'direct', record: plain, active: true }, context([plain], '0')).steps).toEqual([]);
  });
});

describe('planDirectCreate (the boot-time restore of one network)', () => {
  it('is the running part of a create, without record or boot unit', () => {
    const restore = planDirectCreate(specs.nat, { ipForward: '0' });
    const create = planCreate(specs.nat, context([], '0'));
    expect(restore.steps).toEqual(create.steps.slice(0, -2));
    expect(Plan.parse(restore)).toEqual(restore);
  });
});
