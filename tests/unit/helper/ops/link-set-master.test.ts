import { describe, expect, it } from 'vitest';
import { linkSetMaster } from '../../../../main/helper/ops/link-set-master';
import { fact, host } from '../link-fixtures';

const links = host(fact('kvbr0'), fact('kvbr1'), fact('kvtap0', { kind: 'tap', master: 'kvbr0' }), fact('virbr0', { alias: undefined }), fact('eth0', { alias: undefined, kind: 'other' }));
const ctx = { bridgeMac: () => '' };

describe('link.setMaster', () => {
  it('is undone by restoring the previous master, or none', () => {
    expect(linkSetMaster.inverse({ op: 'link.setMaster', name: 'kvtap0', master: 'kvbr1' }, links)).toEqual([{ ensure: 'link.master', name: 'kvtap0', master: 'kvbr0' }]);
    expect(linkSetMaster.inverse({ op: 'link.setMaster', name: 'kvbr1', master: 'kvbr0' }, links)).toEqual([{ ensure: 'link.master', name: 'kvbr1', master: null }]);
  });

  it('writes master or nomaster', () => {
    expect(linkSetMaster.lines({ op: 'link.setMaster', name: 'kvtap0', master: 'kvbr1' }, ctx)).toEqual(['link set dev kvtap0 master kvbr1']);
    expect(linkSetMaster.lines({ op: 'link.setMaster', name: 'kvtap0', master: null }, ctx)).toEqual(['link set dev kvtap0 nomaster']);
  });

  it('needs both the link and the new master to be ours', () => {
    expect(linkSetMaster.check({ op: 'link.setMaster', name: 'eth0', master: 'kvbr0' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'name' });
    expect(linkSetMaster.check({ op: 'link.setMaster', name: 'kvtap0', master: 'virbr0' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'master' });
    expect(linkSetMaster.check({ op: 'link.setMaster', name: 'kvtap0', master: null }, links)).toBeUndefined();
  });

  it('simulates the new master', () => {
    expect(linkSetMaster.simulate({ op: 'link.setMaster', name: 'kvtap0', master: null }, links).get('kvtap0')!.master).toBeUndefined();
    expect(linkSetMaster.simulate({ op: 'link.setMaster', name: 'kvtap0', master: 'kvbr1' }, links).get('kvtap0')!.master).toBe('kvbr1');
  });
});
