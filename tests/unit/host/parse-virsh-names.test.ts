import { describe, expect, it } from 'vitest';
import { parseVirshNames } from '../../../main/host/parse-virsh-names';
import { hostFixture } from '../../fixtures/host/fixture';

describe('parseVirshNames', () => {
  it('reads one name a line and drops the trailing blank line', () => {
    expect(parseVirshNames(hostFixture('libvirt/net-list-all-name.txt'))).toEqual(['kvlab', 'labforeign', 'labiso', 'labnat', 'labtransient', 'lanbr']);
    expect(parseVirshNames(hostFixture('libvirt/list-all-name.txt'))).toEqual(['vm1']);
    expect(parseVirshNames('\n')).toEqual([]);
  });
});
