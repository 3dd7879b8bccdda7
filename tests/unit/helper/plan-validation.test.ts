import { describe, expect, it } from 'vitest';
import type { BridgedRecord } from '../../../main/core/bridge-to-lan/bridged-record';
import { planNetworkdCreate } from '../../../main/core/bridge-to-lan/plan-bridged';
import { validatePlan } from '../../../main/helper/plan-validation';
import type { Step } from '../../../main/helper/protocol';
import { fact, host, planState } from './link-fixtures';

const links = planState(host(
  fact('kvbr0'),
  fact('eth0', { alias: undefined, kind: 'other', master: 'kvbr0' }),
  fact('virbr0', { alias: 'libvirt' }),
  fact('kvport', { kind: 'tap', master: 'odd@name' }),
  fact('odd@name', { alias: undefined }),
));
const plan = (...steps: Step[]) => ({ steps });

describe('validatePlan', () => {
  it('accepts steps on links an earlier step of the same plan creates', () => {
    expect(validatePlan(plan(
      { op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' },
      { op: 'link.add', kind: 'veth', name: 'kva', peer: 'kvb', network: 'lab' },
      { op: 'link.setMaster', name: 'kvb', master: 'kvnew' },
      { op: 'addr.add', dev: 'kvnew', address: '10.1.0.1/24' },
      { op: 'sysctl.set', key: 'net.ipv4.conf.kvnew.forwarding', value: '1' },
      { op: 'link.setState', name: 'kva', up: true },
      { op: 'link.delete', name: 'kva' },
    ), links)).toBeUndefined();
  });

  it('names the first refused step and its field, with a code', () => {
    expect(validatePlan(plan(
      { op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' },
      { op: 'link.setMaster', name: 'eth0', master: 'kvnew' },
    ), links)).toEqual({ code: 'NOT_OWNED', field: 'plan.steps.1.name', message: expect.stringMatching(/^plan\.steps\.1\.name: eth0 is not a KVMNet link/) });
    expect(validatePlan(plan({ op: 'sysctl.set', key: 'net.ipv4.conf.virbr0.forwarding', value: '1' }), links))
      .toMatchObject({ code: 'NOT_ALLOWED', field: 'plan.steps.0.key' });
    expect(validatePlan(plan({ op: 'addr.add', dev: 'kvbr0', address: '10.0.0.1/40' }), links))
      .toMatchObject({ code: 'INVALID_REQUEST', field: 'plan.steps.0.address' });
  });

  it('judges a step against what earlier steps leave: a deleted link is no longer there to change', () => {
    expect(validatePlan(plan({ op: 'link.delete', name: 'kvbr0' }, { op: 'link.setState', name: 'kvbr0', up: true }), links))
      .toMatchObject({ code: 'NOT_OWNED', field: 'plan.steps.1.name', message: expect.stringContaining('does not exist') });
    expect(validatePlan(plan({ op: 'link.setAlias', name: 'kvbr0', network: 'x' }, { op: 'sysctl.set', key: 'net.ipv4.conf.kvbr0.proxy_arp', value: '1' }), links)).toBeUndefined();
  });

  it('refuses a step whose undo could not be journaled', () => {
    expect(validatePlan(plan({ op: 'link.setMaster', name: 'kvport', master: null }), links)).toMatchObject({ code: 'NOT_ALLOWED', field: 'plan.steps.0.op' });
  });

  it('carries host steps through the plan: a bridge created earlier takes dnsmasq and rules, a network defined earlier can start', () => {
    const spec = { name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvnew', ipv4: { subnet: '10.9.0.0/24', gateway: '10.9.0.1' }, dhcp: null, autostart: true } as const;
    expect(validatePlan(plan(
      { op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' },
      { op: 'nft.network', network: 'lab', spec },
      { op: 'dnsmasq.start', spec },
      { op: 'libvirt.define', spec: { ...spec, name: 'lv', backend: 'libvirt', bridge: 'kvlv0' } },
      { op: 'libvirt.start', network: 'lv' },
      { op: 'record.write', record: { version: 1, spec } },
      { op: 'boot.unit', enabled: true },
    ), links)).toBeUndefined();
    expect(validatePlan(plan({ op: 'dnsmasq.start', spec }, { op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' }), links))
      .toMatchObject({ code: 'NOT_OWNED', field: 'plan.steps.0.spec.bridge' });
    expect(validatePlan(plan({ op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' }, { op: 'dnsmasq.start', spec }, { op: 'dnsmasq.start', spec }), links))
      .toMatchObject({ code: 'NOT_ALLOWED', field: 'plan.steps.2.spec.name' });
  });
});

describe('validatePlan and systemd-networkd bridges: the record is what makes a bridge KVMNet\'s', () => {
  const addressing = { uplink: 'eth1', mac: '02:00:00:00:00:10', mtu: 1500, addresses: [], routes: [] };
  const timing = { now: '2026-01-02T10:00:00.000Z', confirmTimeoutSeconds: 60, armId: 'a-1' };
  const { plan: created, record } = planNetworkdCreate({ ...timing, name: 'lan', bridgeName: 'br-lan', addressing });
  const host1 = host(fact('eth1', { alias: undefined, kind: 'other' }));
  const known = (lan: BridgedRecord | undefined) => planState(host1, { networkdRecords: new Map([['lan', lan]]) });

  it('accepts a create whose record step comes before its networkd step, though no record is on disk yet', () => {
    expect(validatePlan(created, known(undefined))).toBeUndefined();
  });

  it('refuses networkd steps of a network without a networkd record naming that uplink and bridge, at the network field', () => {
    const bridge: Step = { op: 'networkd.bridge', network: 'lan', uplink: 'eth1', bridge: 'br-lan' };
    expect(validatePlan(plan(bridge), known(undefined))).toMatchObject({ code: 'NOT_OWNED', field: 'plan.steps.0.network' });
    expect(validatePlan(plan(bridge), known(record))).toBeUndefined();
    // a plan that removes the record first has none left for the step after it
    expect(validatePlan(plan({ op: 'bridged.record', network: 'lan', persistent: true, record: null }, bridge), known(record)))
      .toMatchObject({ code: 'NOT_OWNED', field: 'plan.steps.1.network' });
  });
});
