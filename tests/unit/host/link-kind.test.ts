import { describe, expect, it } from 'vitest';
import { IpLinkEntry, parseIpJson } from '../../../main/host/iproute2-json';
import { linkKind } from '../../../main/host/link-kind';
import { hostFixture } from '../../fixtures/host/fixture';

const NO_SYSFS = { device: false, wireless: false };
const entries = new Map(parseIpJson(IpLinkEntry, hostFixture('handwritten/ip-d-addr-kernel-lacks.json'), 'ip').map((e) => [e.ifname, e]));
const entry = (name: string): IpLinkEntry => {
  const e = entries.get(name);
  if (!e) throw new Error(`no ${name} in the fixture`);
  return e;
};
const [eth0] = parseIpJson(IpLinkEntry, hostFixture('machine/ip-d-s-addr-eth0.json'), 'ip');

describe('linkKind', () => {
  it('maps the kernel kinds KVMNet shows by name', () => {
    expect(linkKind(entry('bond0'), NO_SYSFS)).toBe('bond');
    expect(linkKind(entry('dummy0'), NO_SYSFS)).toBe('dummy');
    expect(linkKind(entry('bond0.10'), NO_SYSFS)).toBe('vlan');
    expect(linkKind(entry('wg0'), NO_SYSFS)).toBe('wireguard');
  });

  it('calls a NIC with a radio wireless, whatever its bus', () => {
    expect(linkKind(entry('wlp2s0'), { device: true, wireless: true })).toBe('wireless');
    expect(linkKind(eth0!, { device: true, wireless: true })).toBe('wireless');
  });

  it('calls a NIC physical from its sysfs device or, without sysfs, from its parent bus', () => {
    expect(linkKind(entry('wlp2s0'), { device: true, wireless: false })).toBe('physical');
    expect(linkKind(eth0!, undefined)).toBe('physical');
  });

  it('calls a link without a kind and without hardware other', () => {
    expect(linkKind(entry('wlp2s0'), NO_SYSFS)).toBe('other');
  });

  it('never lets sysfs turn a virtual link into hardware', () => {
    expect(linkKind(entry('bond0'), { device: true, wireless: true })).toBe('bond');
  });
});
