import { describe, expect, it } from 'vitest';
import { linkSetAddress } from '../../../../main/helper/ops/link-set-address';
import { afterUndo, reconcile, type LinkUndo } from '../../../../main/helper/undo';
import { fact, host } from '../link-fixtures';

describe('link.setAddress', () => {
  const links = host(fact('kvtap1', { kind: 'tap', mac: '52:54:00:12:34:56' }), fact('eth0', { kind: 'other', alias: undefined, mac: '1c:69:7a:01:23:45' }));
  const step = { op: 'link.setAddress', name: 'kvtap1', mac: '02:4b:00:00:00:09' } as const;

  it('gives an owned link a new MAC, undone by setting the one it had', () => {
    expect(linkSetAddress.check(step, links)).toBeUndefined();
    expect(linkSetAddress.lines(step, { bridgeMac: () => '' })).toEqual(['link set dev kvtap1 address 02:4b:00:00:00:09']);
    const undo = linkSetAddress.inverse(step, links);
    const restore: LinkUndo = { ensure: 'link.mac', name: 'kvtap1', mac: '52:54:00:12:34:56' };
    expect(undo).toEqual([restore]);
    const after = linkSetAddress.simulate(step, links);
    expect(after.get('kvtap1')!.mac).toBe('02:4b:00:00:00:09');
    // the undo runs only while the address differs, and leaves the model as it was
    expect(reconcile(restore, after)).toEqual({ lines: ['link set dev kvtap1 address 52:54:00:12:34:56'] });
    expect(reconcile(restore, links)).toEqual({ lines: [] });
    expect(afterUndo(restore, after).get('kvtap1')!.mac).toBe('52:54:00:12:34:56');
  });

  it('never changes a link that is not ours', () => {
    expect(linkSetAddress.check({ ...step, name: 'eth0' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'name' });
    expect(linkSetAddress.check({ ...step, name: 'ghost' }, links)).toMatchObject({ code: 'NOT_OWNED', field: 'name' });
  });
});
