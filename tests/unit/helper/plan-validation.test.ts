import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../main/helper/plan-validation';
import type { Step } from '../../../main/helper/protocol';
import { fact, host } from './link-fixtures';

const links = host(
  fact('kvbr0'),
  fact('eth0', { alias: undefined, kind: 'other', master: 'kvbr0' }),
  fact('virbr0', { alias: 'libvirt' }),
  fact('kvport', { kind: 'tap', master: 'odd@name' }),
  fact('odd@name', { alias: undefined }),
);
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
});
