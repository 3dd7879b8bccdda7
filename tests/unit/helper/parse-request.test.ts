import { describe, expect, it } from 'vitest';
import { parseRequestLine } from '../../../main/helper/parse-request';

const refusal = (line: string) => {
  const parsed = parseRequestLine(line);
  if (parsed.ok) throw new Error('expected a refusal');
  return { id: parsed.id, ...parsed.error };
};
const apply = (step: unknown, id = 'a1') => JSON.stringify({ id, method: 'apply', plan: { steps: [step] } });

describe('parseRequestLine', () => {
  it('accepts valid requests', () => {
    expect(parseRequestLine('{"id":"p1","method":"ping"}')).toEqual({ ok: true, request: { id: 'p1', method: 'ping' } });
    expect(parseRequestLine(apply({ op: 'link.setState', name: 'kvbr0', up: true }))).toMatchObject({ ok: true });
  });

  it('answers malformed JSON and non-objects without an id', () => {
    expect(refusal('{"id":"x",')).toMatchObject({ id: null, code: 'INVALID_REQUEST', field: '(line)', message: expect.stringContaining('not valid JSON') });
    expect(refusal('[1,2]')).toMatchObject({ id: null, field: '(request)' });
    expect(refusal('"ping"')).toMatchObject({ id: null, field: '(request)' });
  });

  it('refuses a step whose op is nested deeper than JSON.stringify can go, naming it, instead of crashing', () => {
    // JSON.parse reads it; quoting it back in the message would overflow the stack
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(() => JSON.stringify(JSON.parse(deep))).toThrow(RangeError);
    const line = `{"id":"d1","method":"apply","plan":{"steps":[{"op":${deep}}]}}`;
    expect(refusal(line)).toMatchObject({ id: 'd1', code: 'INVALID_REQUEST', field: 'plan.steps.0.op', message: expect.stringContaining('an array nested too deeply to show') });
  });

  it('echoes a usable id, and null for an id that is not one', () => {
    expect(refusal('{"id":"ok-1","method":"nope"}').id).toBe('ok-1');
    expect(refusal('{"id":"bad id","method":"ping"}')).toMatchObject({ id: null, field: 'id' });
    expect(refusal('{"id":7,"method":"ping"}')).toMatchObject({ id: null, field: 'id', message: 'id: expected string, got 7' });
  });

  it.each([
    ['{"id":"a","method":"reboot"}', 'method', /"reboot" is not one of ping, observe, apply/],
    ['{"id":"a","method":"ping","extra":1}', 'extra', /unknown field; remove it/],
    ['{"id":"a"}', 'method', /is not one of/],
    ['{"id":"a","method":"apply"}', 'plan', /expected object, got nothing/],
    ['{"id":"a","method":"apply","plan":{"steps":[]}}', 'plan.steps', /too small|>=1/i],
    [apply({ op: 'link.delete', name: 'br0;rm -rf /' }), 'plan.steps.0.name', /only letters, digits/],
    [apply({ op: 'link.delete', name: '$(reboot)' }), 'plan.steps.0.name', /only letters, digits/],
    [apply({ op: 'link.delete', name: '-help' }), 'plan.steps.0.name', /must start with a letter or digit/],
    [apply({ op: 'link.delete', name: 'abcdefghijklmnop' }), 'plan.steps.0.name', /longer than 15 bytes/],
    [apply({ op: 'link.delete', name: 'kvbr0', force: true }), 'plan.steps.0.force', /unknown field/],
    [apply({ op: 'shell.exec', cmd: 'reboot' }), 'plan.steps.0.op', /unknown step op "shell.exec"; use one of link.add/],
    [apply({ name: 'kvbr0' }), 'plan.steps.0.op', /needs an op/],
    [apply({ op: 'link.add', kind: 'macvlan', name: 'x', network: 'lab' }), 'plan.steps.0.kind', /"macvlan" is not one of bridge, tap, veth/],
    [apply({ op: 'link.add', kind: 'veth', name: 'x', network: 'lab' }), 'plan.steps.0.peer', /expected string/],
    [apply({ op: 'link.setState', name: 'kvbr0', up: 'yes' }), 'plan.steps.0.up', /expected boolean, got "yes"/],
    [apply({ op: 'addr.add', dev: 'kvbr0', address: '10.0.0.1' }), 'plan.steps.0.address', /ADDRESS\/PREFIX/],
    [apply({ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '7' }), 'plan.steps.0.value', /expected one of/],
  ])('%s -> INVALID_REQUEST at %s', (line, field, message) => {
    const r = refusal(line);
    expect(r).toMatchObject({ code: 'INVALID_REQUEST', field });
    expect(r.message.startsWith(`${field}: `)).toBe(true);
    expect(r.message).toMatch(message);
  });

  it.each(['kernel.core_pattern', 'net.ipv4.conf.eth0.arp_ignore', 'vm.overcommit_memory'])('refuses the sysctl %s as NOT_ALLOWED', (key) => {
    expect(refusal(apply({ op: 'sysctl.set', key, value: '1' }))).toMatchObject({ code: 'NOT_ALLOWED', field: 'plan.steps.0.key', message: expect.stringContaining('allowlist') });
  });
});
