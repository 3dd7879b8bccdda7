import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../../main/helper/plan-validation';
import type { Step } from '../../../../main/helper/protocol';
import { Step as StepSchema } from '../../../../main/helper/protocol';
import type { LibvirtState } from '../../../../main/helper/plan-state';
import { fact, host, planState } from '../link-fixtures';

const libvirtNet = (name: string, extra: Partial<LibvirtState> = {}): [string, LibvirtState] =>
  [name, { name, managedByKvmnet: true, active: true, persistent: true, autostart: true, ...extra }];

/** a host with KVMNet's direct network lab (kv-lab), KVMNet's libvirt network lv, libvirt's default, and taps */
const state = planState(
  host(
    fact('kv-lab'),
    fact('kvt-lv-0', { kind: 'tap', alias: 'kvmnet:lv' }),
    fact('kvt-lab-0', { kind: 'tap', alias: 'kvmnet:lab' }),
    fact('tap9', { kind: 'tap', alias: undefined }),
    fact('kv-lv', { alias: undefined }),
  ),
  { libvirt: new Map([libvirtNet('lv'), libvirtNet('default', { managedByKvmnet: false }), libvirtNet('lvoff', { active: false })]) },
);
const check = (step: Step) => validatePlan({ steps: [step] }, state);

describe('libvirt.attachTap', () => {
  it('puts a tap of a KVMNet libvirt network on that network\'s bridge', () => {
    expect(check({ op: 'libvirt.attachTap', network: 'lv', tap: 'kvt-lv-0' })).toBeUndefined();
  });

  it.each([
    [{ op: 'libvirt.attachTap', network: 'default', tap: 'kvt-lv-0' }, 'NOT_OWNED', 'network', /was not defined by KVMNet/],
    [{ op: 'libvirt.attachTap', network: 'lvoff', tap: 'kvt-lv-0' }, 'NOT_ALLOWED', 'network', /is not running/],
    [{ op: 'libvirt.attachTap', network: 'lv', tap: 'tap9' }, 'NOT_OWNED', 'tap', /not a KVMNet link/],
    [{ op: 'libvirt.attachTap', network: 'lv', tap: 'kvt-lab-0' }, 'NOT_OWNED', 'tap', /not a tap of network lv/],
    [{ op: 'libvirt.attachTap', network: 'lv', tap: 'kv-lab' }, 'NOT_OWNED', 'tap', /not a tap of network lv/],
  ] as const)('refuses %j', (step, code, field, message) => {
    expect(check(step)).toEqual({ code, field: `plan.steps.0.${field}`, message: expect.stringMatching(message) });
  });
});

describe('libvirt.attachInterface and detachInterface', () => {
  const nic = { domain: 'web', mac: '52:54:00:00:00:21' } as const;

  it('plug into the network\'s own source only', () => {
    expect(check({ op: 'libvirt.attachInterface', ...nic, network: 'lv', source: { type: 'network', network: 'lv' }, model: 'virtio' })).toBeUndefined();
    expect(check({ op: 'libvirt.detachInterface', ...nic, network: 'lab', source: { type: 'bridge', bridge: 'kv-lab' } })).toBeUndefined();
  });

  it.each([
    [{ op: 'libvirt.attachInterface', ...nic, network: 'lv', source: { type: 'network', network: 'default' }, model: 'virtio' }, 'NOT_ALLOWED', 'source.network'],
    [{ op: 'libvirt.attachInterface', ...nic, network: 'default', source: { type: 'network', network: 'default' }, model: 'virtio' }, 'NOT_OWNED', 'network'],
    [{ op: 'libvirt.attachInterface', ...nic, network: 'lv', source: { type: 'bridge', bridge: 'kv-lv' }, model: 'virtio' }, 'NOT_OWNED', 'source.bridge'],
    [{ op: 'libvirt.detachInterface', ...nic, network: 'other', source: { type: 'bridge', bridge: 'kv-lab' } }, 'NOT_OWNED', 'source.bridge'],
  ] as const)('refuse %j', (step, code, field) => {
    expect(check(step)).toMatchObject({ code, field: `plan.steps.0.${field}` });
  });

  it.each([
    ['a multicast MAC', { mac: '01:00:5e:00:00:01' }],
    ['a domain name that could be an option', { domain: '--help' }],
    ['a NIC model KVMNet does not offer', { model: 'ne2k_pci' }],
  ])('are not valid requests with %s', (_what, change) => {
    const step = { op: 'libvirt.attachInterface', ...nic, network: 'lv', source: { type: 'network', network: 'lv' }, model: 'virtio', ...change };
    expect(StepSchema.safeParse(step).success).toBe(false);
  });
});
