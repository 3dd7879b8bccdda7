import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import type { HostState } from '../../lab/host-state';
import { MAX_PLAN_STEPS, MAX_REQUEST_BYTES } from '../../../main/helper/protocol';
import { HelperProcess } from './helper-process';
import { hostState } from './host-checks';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper bad-request tests: ${skip}`);

const apply = (...steps: unknown[]) => JSON.stringify({ id: 'bad', method: 'apply', plan: { steps } });
const step = (s: Record<string, unknown>) => apply(s);

interface Bad {
  what: string;
  line: string;
  code: 'INVALID_REQUEST' | 'NOT_OWNED' | 'NOT_ALLOWED';
  field: string;
}

const BAD: Bad[] = [
  // not JSON, or not a request object
  { what: 'an open brace', line: '{', code: 'INVALID_REQUEST', field: '(line)' },
  { what: 'plain words', line: 'please reboot', code: 'INVALID_REQUEST', field: '(line)' },
  { what: 'a cut-off object', line: '{"id":"a","method":"ping"', code: 'INVALID_REQUEST', field: '(line)' },
  { what: 'a trailing comma', line: '{"id":"a","method":"ping",}', code: 'INVALID_REQUEST', field: '(line)' },
  { what: 'an array', line: '[{"id":"a","method":"ping"}]', code: 'INVALID_REQUEST', field: '(request)' },
  { what: 'null', line: 'null', code: 'INVALID_REQUEST', field: '(request)' },
  { what: 'a number', line: '42', code: 'INVALID_REQUEST', field: '(request)' },
  { what: 'a string', line: '"ping"', code: 'INVALID_REQUEST', field: '(request)' },
  // id and method
  { what: 'no id', line: '{"method":"ping"}', code: 'INVALID_REQUEST', field: 'id' },
  { what: 'a numeric id', line: '{"id":5,"method":"ping"}', code: 'INVALID_REQUEST', field: 'id' },
  { what: 'an empty id', line: '{"id":"","method":"ping"}', code: 'INVALID_REQUEST', field: 'id' },
  { what: 'an id with a space', line: '{"id":"a b","method":"ping"}', code: 'INVALID_REQUEST', field: 'id' },
  { what: 'a 65-character id', line: JSON.stringify({ id: 'x'.repeat(65), method: 'ping' }), code: 'INVALID_REQUEST', field: 'id' },
  { what: 'a numeric method', line: '{"id":"a","method":7}', code: 'INVALID_REQUEST', field: 'method' },
  { what: 'an unknown method', line: '{"id":"a","method":"exec"}', code: 'INVALID_REQUEST', field: 'method' },
  { what: 'a method in capitals', line: '{"id":"a","method":"PING"}', code: 'INVALID_REQUEST', field: 'method' },
  // extra fields
  { what: 'an extra field on ping', line: '{"id":"a","method":"ping","sudo":true}', code: 'INVALID_REQUEST', field: 'sudo' },
  { what: 'an extra field on the plan', line: JSON.stringify({ id: 'a', method: 'apply', plan: { steps: [{ op: 'link.setState', name: 'kvbr0', up: true }], force: true } }), code: 'INVALID_REQUEST', field: 'plan.force' },
  { what: 'an extra field on a step', line: step({ op: 'link.setState', name: 'kvbr0', up: true, shell: 'reboot' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.shell' },
  // plan shape
  { what: 'apply without a plan', line: '{"id":"a","method":"apply"}', code: 'INVALID_REQUEST', field: 'plan' },
  { what: 'an empty plan', line: apply(), code: 'INVALID_REQUEST', field: 'plan.steps' },
  { what: 'steps that are not a list', line: '{"id":"a","method":"apply","plan":{"steps":"all"}}', code: 'INVALID_REQUEST', field: 'plan.steps' },
  { what: 'too many steps', line: apply(...Array.from({ length: MAX_PLAN_STEPS + 1 }, () => ({ op: 'link.setState', name: 'kvbr0', up: true }))), code: 'INVALID_REQUEST', field: 'plan.steps' },
  { what: 'a 201-character description', line: JSON.stringify({ id: 'a', method: 'apply', plan: { description: 'd'.repeat(201), steps: [{ op: 'link.setState', name: 'kvbr0', up: true }] } }), code: 'INVALID_REQUEST', field: 'plan.description' },
  // unknown ops and kinds
  { what: 'an unknown op', line: step({ op: 'shell.exec', command: 'reboot' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.op' },
  { what: 'a made-up link op', line: step({ op: 'link.set', name: 'kvbr0' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.op' },
  { what: 'a step without op', line: step({ name: 'kvbr0' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.op' },
  { what: 'an unknown link kind', line: step({ op: 'link.add', kind: 'macvlan', name: 'kvm0', network: 'lab' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.kind' },
  // names
  { what: 'a name with ;rm -rf /', line: step({ op: 'link.add', kind: 'bridge', name: 'br0;rm -rf /', network: 'lab' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a name with $(reboot)', line: step({ op: 'link.delete', name: '$(reboot)' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a name with backquotes', line: step({ op: 'link.setState', name: '`reboot`', up: true }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a 16-byte name', line: step({ op: 'link.add', kind: 'bridge', name: 'kvbridge16bytes0', network: 'lab' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a 16-byte name in 8 characters', line: step({ op: 'link.add', kind: 'tap', name: 'ŵŵŵŵŵŵŵŵ', network: 'lab' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a name starting with -', line: step({ op: 'link.add', kind: 'bridge', name: '-help', network: 'lab' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a name with a space', line: step({ op: 'link.setState', name: 'kvbr0 down', up: true }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a path as name', line: step({ op: 'link.delete', name: '../etc' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.name' },
  { what: 'a network with a quote', line: step({ op: 'link.add', kind: 'bridge', name: 'kvq0', network: "lab'x" }), code: 'INVALID_REQUEST', field: 'plan.steps.0.network' },
  { what: 'a veth peer with a pipe', line: step({ op: 'link.add', kind: 'veth', name: 'kvq0', peer: 'a|b', network: 'lab' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.peer' },
  { what: 'a master with $(id)', line: step({ op: 'link.setMaster', name: 'kvtap0', master: '$(id)' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.master' },
  // values
  { what: 'up as a string', line: step({ op: 'link.setState', name: 'kvbr0', up: 'true' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.up' },
  { what: 'an MTU of 10', line: step({ op: 'link.add', kind: 'bridge', name: 'kvq0', network: 'lab', mtu: 10 }), code: 'INVALID_REQUEST', field: 'plan.steps.0.mtu' },
  { what: 'an MTU as a string', line: step({ op: 'link.add', kind: 'bridge', name: 'kvq0', network: 'lab', mtu: '1500' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.mtu' },
  { what: 'a negative tap user', line: step({ op: 'link.add', kind: 'tap', name: 'kvq0', network: 'lab', user: -1 }), code: 'INVALID_REQUEST', field: 'plan.steps.0.user' },
  { what: 'an address without prefix', line: step({ op: 'addr.add', dev: 'kvbr0', address: '10.0.0.1' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.address' },
  { what: 'an address with a command', line: step({ op: 'addr.add', dev: 'kvbr0', address: '10.0.0.1/24; reboot' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.address' },
  { what: 'a /33 IPv4 prefix', line: step({ op: 'addr.add', dev: 'kvbr0', address: '10.0.0.1/33' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.address' },
  { what: 'an IPv4 address with leading zeros', line: step({ op: 'addr.delete', dev: 'kvbr0', address: '010.0.0.1/24' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.address' },
  // sysctls
  { what: 'kernel.core_pattern', line: step({ op: 'sysctl.set', key: 'kernel.core_pattern', value: '1' }), code: 'NOT_ALLOWED', field: 'plan.steps.0.key' },
  { what: 'a sysctl key with a trailing newline', line: step({ op: 'sysctl.set', key: 'net.ipv4.ip_forward\n', value: '1' }), code: 'NOT_ALLOWED', field: 'plan.steps.0.key' },
  { what: 'forwarding on an interface KVMNet does not own', line: step({ op: 'sysctl.set', key: 'net.ipv4.conf.eth0.forwarding', value: '1' }), code: 'NOT_ALLOWED', field: 'plan.steps.0.key' },
  { what: 'rp_filter for all interfaces', line: step({ op: 'sysctl.set', key: 'net.ipv4.conf.all.rp_filter', value: '0' }), code: 'NOT_ALLOWED', field: 'plan.steps.0.key' },
  { what: 'a sysctl value of 3', line: step({ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '3' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.value' },
  // ownership
  { what: 'deleting a link without alias', line: step({ op: 'link.delete', name: 'eth0' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'deleting a libvirt bridge', line: step({ op: 'link.delete', name: 'virbr9' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'deleting lo', line: step({ op: 'link.delete', name: 'lo' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'deleting a link that does not exist', line: step({ op: 'link.delete', name: 'kvghost' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'enslaving into a bridge KVMNet does not own', line: step({ op: 'link.setMaster', name: 'kvtap0', master: 'virbr9' }), code: 'NOT_OWNED', field: 'plan.steps.0.master' },
  { what: 'enslaving a link KVMNet does not own', line: step({ op: 'link.setMaster', name: 'eth0', master: 'kvbr0' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'an address on a link KVMNet does not own', line: step({ op: 'addr.add', dev: 'eth0', address: '10.9.9.9/24' }), code: 'NOT_OWNED', field: 'plan.steps.0.dev' },
  { what: 'removing an address from lo', line: step({ op: 'addr.delete', dev: 'lo', address: '127.0.0.1/8' }), code: 'NOT_OWNED', field: 'plan.steps.0.dev' },
  { what: 'taking down a link KVMNet does not own', line: step({ op: 'link.setState', name: 'eth0', up: false }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'claiming a link by alias', line: step({ op: 'link.setAlias', name: 'eth0', network: 'lab' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'creating a link under a name in use', line: step({ op: 'link.add', kind: 'bridge', name: 'virbr9', network: 'lab' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  {
    what: 'a valid plan whose third step touches a foreign link (nothing of it runs)',
    line: apply({ op: 'link.add', kind: 'bridge', name: 'kvnew0', network: 'lab' }, { op: 'link.setState', name: 'kvnew0', up: true }, { op: 'link.setMaster', name: 'eth0', master: 'kvnew0' }),
    code: 'NOT_OWNED',
    field: 'plan.steps.2.name',
  },
];

describe.skipIf(skip)('bad requests', () => {
  let lab: Lab;
  let helper: HelperProcess;
  let before: HostState;

  beforeAll(async () => {
    lab = await startLab();
    // links that are not KVMNet's: a "NIC" (this kernel has no dummy driver) and a libvirt bridge
    await lab.sh('ip', ['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'uplink0']);
    await lab.sh('ip', ['link', 'add', 'virbr9', 'type', 'bridge']);
    await lab.sh('ip', ['link', 'set', 'dev', 'virbr9', 'alias', 'libvirt']);
    helper = HelperProcess.start(lab);
    expect((await helper.apply([
      { op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab' },
      { op: 'link.add', kind: 'tap', name: 'kvtap0', network: 'lab' },
    ])).response).toMatchObject({ ok: true });
    before = await hostState(lab);
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it.each(BAD)('refuses $what with $code at $field; nothing changes; the helper keeps serving', async ({ line, code, field }) => {
    const from = helper.messages.length;
    helper.sendLine(line);
    await helper.waitFor((messages) => messages.slice(from).some((m) => 'ok' in m));
    const answers = helper.messages.slice(from);
    expect(answers).toHaveLength(1);
    const [answer] = answers;
    expect(answer).toMatchObject({ ok: false, error: { code, field, message: expect.stringContaining(field) } });
    expect(await hostState(lab)).toEqual(before);
    expect((await helper.request({ method: 'ping' })).response).toMatchObject({ ok: true });
  });

  it('refuses a line over the size limit with one answer, then reads the next line', async () => {
    const from = helper.messages.length;
    helper.sendLine(apply({ op: 'link.delete', name: 'kvbr0', pad: 'x'.repeat(MAX_REQUEST_BYTES) }));
    helper.sendLine('{"id":"after","method":"ping"}');
    await helper.waitFor((messages) => messages.slice(from).some((m) => m.id === 'after'));
    expect(helper.messages.slice(from)).toEqual([
      { id: null, ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST', field: '(line)' }) },
      expect.objectContaining({ id: 'after', ok: true }),
    ]);
    expect(await hostState(lab)).toEqual(before);
  });
});
