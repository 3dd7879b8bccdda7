import { describe, expect, it } from 'vitest';
import { addrAdd } from '../../../../main/helper/ops/addr-add';
import { addrDelete } from '../../../../main/helper/ops/addr-delete';
import { fact, host } from '../link-fixtures';

const links = host(fact('kvbr0', { addresses: [{ family: 'inet6', cidr: 'fd00::1/64', scope: 'global' }] }), fact('eth0', { alias: undefined }));
const ctx = { bridgeMac: () => '' };

describe('addr.add', () => {
  it('writes the canonical address and is undone by removing it', () => {
    expect(addrAdd.lines({ op: 'addr.add', dev: 'kvbr0', address: 'fd01:0::1/64' }, ctx)).toEqual(['address add fd01::1/64 dev kvbr0']);
    expect(addrAdd.inverse({ op: 'addr.add', dev: 'kvbr0', address: '10.80.0.1/24' }, links)).toEqual([{ ensure: 'addr.absent', dev: 'kvbr0', address: '10.80.0.1/24' }]);
  });

  it('an address already there is left there (the kernel refuses the add)', () => {
    expect(addrAdd.inverse({ op: 'addr.add', dev: 'kvbr0', address: 'fd00:0::1/64' }, links)).toEqual([]);
  });

  it('refuses addresses ip could not parse and links that are not ours', () => {
    expect(addrAdd.check({ op: 'addr.add', dev: 'kvbr0', address: '10.0.0.1/33' }, links)).toMatchObject({ code: 'INVALID_REQUEST', field: 'address' });
    expect(addrAdd.check({ op: 'addr.add', dev: 'eth0', address: '10.0.0.1/24' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'dev' });
  });

  it('simulates the address on the link', () => {
    expect(addrAdd.simulate({ op: 'addr.add', dev: 'kvbr0', address: '10.80.0.1/24' }, links).get('kvbr0')!.addresses).toContainEqual({ family: 'inet', cidr: '10.80.0.1/24', scope: 'global' });
  });
});

describe('addr.delete', () => {
  it('is undone by putting the address back, or by nothing when it was not there', () => {
    expect(addrDelete.inverse({ op: 'addr.delete', dev: 'kvbr0', address: 'fd00::1/64' }, links)).toEqual([{ ensure: 'addr.present', dev: 'kvbr0', address: 'fd00::1/64' }]);
    expect(addrDelete.inverse({ op: 'addr.delete', dev: 'kvbr0', address: '10.1.1.1/24' }, links)).toEqual([]);
    expect(addrDelete.lines({ op: 'addr.delete', dev: 'kvbr0', address: 'fd00::1/64' }, ctx)).toEqual(['address del fd00::1/64 dev kvbr0']);
    expect(addrDelete.simulate({ op: 'addr.delete', dev: 'kvbr0', address: 'fd00:0::1/64' }, links).get('kvbr0')!.addresses).toEqual([]);
  });

  it('refuses links that are not ours', () => {
    expect(addrDelete.check({ op: 'addr.delete', dev: 'eth0', address: '10.0.0.1/24' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'dev' });
  });
});
