import { describe, expect, it } from 'vitest';
import { linkSetAlias } from '../../../../main/helper/ops/link-set-alias';
import { fact, host } from '../link-fixtures';

describe('link.setAlias', () => {
  const links = host(fact('kvbr0'), fact('virbr0', { alias: 'libvirt' }));

  it('moves an owned link to another network and back', () => {
    expect(linkSetAlias.lines({ op: 'link.setAlias', name: 'kvbr0', network: 'dev' }, { bridgeMac: () => '' })).toEqual(['link set dev kvbr0 alias kvmnet:dev']);
    expect(linkSetAlias.inverse({ op: 'link.setAlias', name: 'kvbr0', network: 'dev' }, links)).toEqual([{ ensure: 'link.alias', name: 'kvbr0', network: 'lab' }]);
    expect(linkSetAlias.simulate({ op: 'link.setAlias', name: 'kvbr0', network: 'dev' }, links).get('kvbr0')!.alias).toBe('kvmnet:dev');
  });

  it('never claims a link that is not ours', () => {
    expect(linkSetAlias.check({ op: 'link.setAlias', name: 'virbr0', network: 'dev' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'name' });
  });
});
