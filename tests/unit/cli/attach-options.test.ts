import { describe, expect, it } from 'vitest';
import { attachRequest } from '../../../main/cli/attach-options';

describe('attachRequest', () => {
  it('reads --print with its defaults (virtio, no MAC, no tap)', () => {
    expect(attachRequest({ print: 'qemu' })).toEqual({ request: { way: 'print', format: 'qemu', model: 'virtio' }, issues: [] });
  });

  it('reads --vm with a model and MAC', () => {
    expect(attachRequest({ vm: 'web', model: 'e1000e', mac: '52:54:00:00:00:01' }).request).toEqual({ way: 'vm', domain: 'web', model: 'e1000e', mac: '52:54:00:00:00:01' });
  });

  it.each([
    [{}, '--print'],
    [{ print: 'qemu', vm: 'web' }, '--print'],
    [{ print: 'docker' }, '--print'],
    [{ print: 'qemu-ifup', mac: '52:54:00:00:00:01' }, '--mac'],
    [{ vm: 'web', tap: 'x0' }, '--tap'],
    [{ print: 'qemu', model: 'ne2k' }, '--model'],
    [{ print: 'qemu', tap: 'tap/0' }, '--tap'],
    [{ print: 'libvirt-xml', tap: 'macvtap0' }, '--tap'],
    [{ vm: '-rf' }, '--vm'],
  ])('refuses %j naming %s', (options, field) => {
    const { request, issues } = attachRequest(options);
    expect(request).toBeUndefined();
    expect(issues[0]?.field).toBe(field);
  });
});
