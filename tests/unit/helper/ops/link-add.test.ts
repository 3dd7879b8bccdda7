import { describe, expect, it } from 'vitest';
import { linkAdd } from '../../../../main/helper/ops/link-add';
import { fact, host } from '../link-fixtures';

const context = { bridgeMac: () => '02:aa:bb:cc:dd:ee' };

describe('link.add', () => {
  it('creates then aliases (the kernel ignores alias on add), then sets the MTU', () => {
    expect(linkAdd.lines({ op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab', stp: true, mtu: 9000 }, context)).toEqual([
      'link add name kvbr0 address 02:aa:bb:cc:dd:ee type bridge forward_delay 0 stp_state 1',
      'link set dev kvbr0 alias kvmnet:lab',
      'link set dev kvbr0 mtu 9000',
    ]);
    expect(linkAdd.lines({ op: 'link.add', kind: 'tap', name: 'kvtap0', network: 'lab', user: 1000 }, context)).toEqual([
      'tuntap add dev kvtap0 mode tap user 1000',
      'link set dev kvtap0 alias kvmnet:lab',
    ]);
    expect(linkAdd.lines({ op: 'link.add', kind: 'veth', name: 'kva', peer: 'kvb', network: 'lab', mtu: 1400 }, context)).toEqual([
      'link add name kva type veth peer name kvb',
      'link set dev kva alias kvmnet:lab',
      'link set dev kvb alias kvmnet:lab',
      'link set dev kva mtu 1400',
      'link set dev kvb mtu 1400',
    ]);
  });

  it('is undone by removing what it created, and by nothing when the name was taken', () => {
    expect(linkAdd.inverse({ op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' }, host())).toEqual([{ ensure: 'link.absent', name: 'kvnew', network: 'lab' }]);
    expect(linkAdd.inverse({ op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab' }, host(fact('kvbr0')))).toEqual([]);
    expect(linkAdd.inverse({ op: 'link.add', kind: 'veth', name: 'kva', peer: 'kvbr0', network: 'lab' }, host(fact('kvbr0')))).toEqual([]);
  });

  it('refuses a name held by a link that is not ours, and a veth peer named like itself', () => {
    const links = host(fact('eth0', { alias: undefined, kind: 'other' }), fact('kvbr0'));
    expect(linkAdd.check({ op: 'link.add', kind: 'bridge', name: 'eth0', network: 'lab' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'name' });
    expect(linkAdd.check({ op: 'link.add', kind: 'veth', name: 'kva', peer: 'eth0', network: 'lab' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'peer' });
    expect(linkAdd.check({ op: 'link.add', kind: 'veth', name: 'kva', peer: 'kva', network: 'lab' }, links)).toMatchObject({ code: 'INVALID_REQUEST', field: 'peer' });
    // an owned name passes: the kernel refuses it, and the rollback keeps the existing link
    expect(linkAdd.check({ op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab' }, links)).toBeUndefined();
  });

  it('simulates new links as owned and down, a veth as a pair', () => {
    const after = linkAdd.simulate({ op: 'link.add', kind: 'veth', name: 'kva', peer: 'kvb', network: 'n1' }, host());
    expect(after.get('kva')).toMatchObject({ kind: 'veth', peer: 'kvb', alias: 'kvmnet:n1', up: false, mtu: 1500 });
    expect(after.get('kvb')).toMatchObject({ peer: 'kva', alias: 'kvmnet:n1' });
    const tap = linkAdd.simulate({ op: 'link.add', kind: 'tap', name: 't', network: 'n1', user: 7, mtu: 1400 }, host()).get('t');
    expect(tap).toMatchObject({ kind: 'tap', tapUser: 7, mtu: 1400 });
    const existing = host(fact('kvbr0', { up: true }));
    expect(linkAdd.simulate({ op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'x' }, existing)).toBe(existing);
  });
});
