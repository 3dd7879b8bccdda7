import { describe, expect, it } from 'vitest';
import { linkSetState } from '../../../../main/helper/ops/link-set-state';
import { fact, host } from '../link-fixtures';

const links = host(
  fact('kvbr0', {
    up: true,
    addresses: [
      { family: 'inet', cidr: '10.80.0.1/24', scope: 'global' },
      { family: 'inet6', cidr: 'fd00::1/64', scope: 'global' },
      { family: 'inet6', cidr: 'fe80::1/64', scope: 'link' },
    ],
  }),
  fact('kvbr1'),
);

describe('link.setState', () => {
  it('taking a link down is undone by setting it up and re-adding the IPv6 addresses the kernel dropped', () => {
    expect(linkSetState.inverse({ op: 'link.setState', name: 'kvbr0', up: false }, links)).toEqual([
      { ensure: 'addr.present', dev: 'kvbr0', address: 'fd00::1/64' },
      { ensure: 'link.up', name: 'kvbr0', up: true },
    ]);
    expect(linkSetState.simulate({ op: 'link.setState', name: 'kvbr0', up: false }, links).get('kvbr0')!.addresses.map((a) => a.cidr)).toEqual(['10.80.0.1/24']);
  });

  it('setting up is undone by setting down', () => {
    expect(linkSetState.inverse({ op: 'link.setState', name: 'kvbr1', up: true }, links)).toEqual([{ ensure: 'link.up', name: 'kvbr1', up: false }]);
    expect(linkSetState.lines({ op: 'link.setState', name: 'kvbr1', up: true }, { bridgeMac: () => '' })).toEqual(['link set dev kvbr1 up']);
  });

  it('refuses a link that is not ours', () => {
    expect(linkSetState.check({ op: 'link.setState', name: 'lo', up: false }, host(fact('lo', { alias: undefined })))).toMatchObject({ code: 'NOT_OWNED', field: 'name' });
  });
});
