import { describe, expect, it } from 'vitest';
import { Undo, afterUndo, describeUndo, reconcile } from '../../../main/helper/undo';
import { fact, host } from './link-fixtures';

const links = host(
  fact('kvbr0', { up: true, mac: '02:00:00:00:00:01', addresses: [{ family: 'inet', cidr: '10.80.0.1/24', scope: 'global' }] }),
  fact('kvtap0', { kind: 'tap', master: 'kvbr0' }),
  fact('bare', { alias: undefined }),
  fact('theirs', { alias: 'libvirt-net' }),
);

describe('reconcile: an undo runs only what does not already hold', () => {
  it('removes a link we created, or one left without its alias by a crash, but never someone else’s', () => {
    expect(reconcile({ ensure: 'link.absent', name: 'kvbr0', network: 'lab' }, links)).toEqual({ lines: ['link delete dev kvbr0'] });
    expect(reconcile({ ensure: 'link.absent', name: 'bare', network: 'lab' }, links)).toEqual({ lines: ['link delete dev bare'] });
    expect(reconcile({ ensure: 'link.absent', name: 'gone', network: 'lab' }, links)).toEqual({ lines: [] });
    expect(reconcile({ ensure: 'link.absent', name: 'kvbr0', network: 'other' }, links)).toMatchObject({ left: expect.stringContaining('kvmnet:lab') });
    expect(reconcile({ ensure: 'link.absent', name: 'theirs', network: 'lab' }, links)).toMatchObject({ left: expect.stringContaining('left in place') });
  });

  it('recreates each kind with its MAC, tap user, stp and peer', () => {
    expect(reconcile({ ensure: 'link.present', name: 'kvnew', kind: 'bridge', mac: '02:00:00:00:00:09', stp: true, forwardDelay: 1500 }, links))
      .toEqual({ lines: ['link add name kvnew address 02:00:00:00:00:09 type bridge forward_delay 1500 stp_state 1'] });
    expect(reconcile({ ensure: 'link.present', name: 'kvt', kind: 'tap', user: 1000, mac: '02:00:00:00:00:0a' }, links))
      .toEqual({ lines: ['tuntap add dev kvt mode tap user 1000', 'link set dev kvt address 02:00:00:00:00:0a'] });
    expect(reconcile({ ensure: 'link.present', name: 'kva', kind: 'veth', peer: 'kvb', mac: '02:00:00:00:00:0b', peerMac: '02:00:00:00:00:0c' }, links))
      .toEqual({ lines: ['link add name kva address 02:00:00:00:00:0b type veth peer name kvb address 02:00:00:00:00:0c'] });
    expect(reconcile({ ensure: 'link.present', name: 'kvbr0', kind: 'bridge' }, links)).toEqual({ lines: [] });
  });

  it('sets attributes only when they differ, and not at all on a link that is gone', () => {
    expect(reconcile({ ensure: 'link.up', name: 'kvbr0', up: true }, links)).toEqual({ lines: [] });
    expect(reconcile({ ensure: 'link.up', name: 'kvbr0', up: false }, links)).toEqual({ lines: ['link set dev kvbr0 down'] });
    expect(reconcile({ ensure: 'link.mtu', name: 'kvbr0', mtu: 1400 }, links)).toEqual({ lines: ['link set dev kvbr0 mtu 1400'] });
    expect(reconcile({ ensure: 'link.alias', name: 'kvbr0', network: 'other' }, links)).toEqual({ lines: ['link set dev kvbr0 alias kvmnet:other'] });
    expect(reconcile({ ensure: 'link.alias', name: 'kvbr0', network: 'lab' }, links)).toEqual({ lines: [] });
    expect(reconcile({ ensure: 'link.up', name: 'gone', up: true }, links)).toEqual({ lines: [] });
    expect(reconcile({ ensure: 'addr.present', dev: 'gone', address: '10.0.0.1/8' }, links)).toEqual({ lines: [] });
  });

  it('attaches, detaches, and reports a master that is gone', () => {
    expect(reconcile({ ensure: 'link.master', name: 'kvtap0', master: null }, links)).toEqual({ lines: ['link set dev kvtap0 nomaster'] });
    expect(reconcile({ ensure: 'link.master', name: 'kvtap0', master: 'kvbr0' }, links)).toEqual({ lines: [] });
    expect(reconcile({ ensure: 'link.master', name: 'bare', master: 'kvbr0' }, links)).toEqual({ lines: ['link set dev bare master kvbr0'] });
    expect(reconcile({ ensure: 'link.master', name: 'bare', master: 'nobr' }, links)).toMatchObject({ left: expect.stringContaining('nobr is gone') });
  });

  it('adds and removes addresses by their canonical form', () => {
    expect(reconcile({ ensure: 'addr.present', dev: 'kvbr0', address: '10.80.0.1/24' }, links)).toEqual({ lines: [] });
    expect(reconcile({ ensure: 'addr.present', dev: 'kvbr0', address: 'fd00::1/64' }, links)).toEqual({ lines: ['address add fd00::1/64 dev kvbr0'] });
    expect(reconcile({ ensure: 'addr.absent', dev: 'kvbr0', address: '10.80.0.1/24' }, links)).toEqual({ lines: ['address del 10.80.0.1/24 dev kvbr0'] });
    expect(reconcile({ ensure: 'addr.absent', dev: 'kvbr0', address: '10.99.0.1/24' }, links)).toEqual({ lines: [] });
  });
});

describe('the Undo schema (what recovery trusts from disk)', () => {
  it.each([
    { ensure: 'link.absent', name: 'br0;reboot', network: 'lab' },
    { ensure: 'link.present', name: 'x', kind: 'dummy' },
    { ensure: 'addr.present', dev: 'x', address: 'fd00:0::1/64' },
    { ensure: 'sysctl', path: 'kernel/core_pattern', value: '1' },
    { ensure: 'sysctl', path: 'net/ipv4/ip_forward', value: '|/bin/sh' },
    { ensure: 'link.up', name: 'x', up: true, extra: 1 },
    { ensure: 'shell', command: 'reboot' },
  ])('refuses %j', (undo) => expect(Undo.safeParse(undo).success).toBe(false));

  it('describes each action in plain words', () => {
    expect(describeUndo({ ensure: 'sysctl', path: 'net/ipv4/conf/kvbr0/forwarding', value: '0' })).toBe('set net.ipv4.conf.kvbr0.forwarding back to 0');
    expect(describeUndo({ ensure: 'link.master', name: 'a', master: null })).toBe('detach a from its bridge');
  });
});

describe('afterUndo: the host an undo leaves, for reconciling the next one from the same read', () => {
  it('follows each action', () => {
    let state = afterUndo({ ensure: 'link.present', name: 'kva', kind: 'veth', peer: 'kvb' }, links);
    expect(state.get('kvb')).toMatchObject({ kind: 'veth', peer: 'kva', up: false });
    state = afterUndo({ ensure: 'link.alias', name: 'kva', network: 'lab' }, state);
    state = afterUndo({ ensure: 'link.master', name: 'kva', master: 'kvbr0' }, state);
    state = afterUndo({ ensure: 'addr.present', dev: 'kva', address: 'fd00::2/64' }, state);
    state = afterUndo({ ensure: 'link.mtu', name: 'kva', mtu: 1400 }, state);
    expect(state.get('kva')).toMatchObject({ alias: 'kvmnet:lab', master: 'kvbr0', mtu: 1400, addresses: [{ family: 'inet6', cidr: 'fd00::2/64' }] });
    // the next undo sees what the previous ones will have done: nothing left to run for them
    expect(reconcile({ ensure: 'link.alias', name: 'kva', network: 'lab' }, state)).toEqual({ lines: [] });
    state = afterUndo({ ensure: 'link.up', name: 'kva', up: false }, afterUndo({ ensure: 'link.up', name: 'kva', up: true }, state));
    expect(state.get('kva')!.addresses).toEqual([]);
    state = afterUndo({ ensure: 'link.absent', name: 'kvb', network: 'lab' }, state);
    expect(state.has('kva') || state.has('kvb')).toBe(false);
    expect(afterUndo({ ensure: 'addr.absent', dev: 'kvbr0', address: '10.80.0.1/24' }, links).get('kvbr0')!.addresses).toEqual([]);
    expect(afterUndo({ ensure: 'link.master', name: 'kvtap0', master: null }, links).get('kvtap0')!.master).toBeUndefined();
  });
});
