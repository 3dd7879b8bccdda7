import { describe, expect, it } from 'vitest';
import { defaultTapName } from '../../../../main/core/attach/tap-name';
import { InterfaceName } from '../../../../main/core/names';

describe('defaultTapName', () => {
  it('is kvt-<network>-N with the lowest free N', () => {
    expect(defaultTapName('lab', new Set())).toBe('kvt-lab-0');
    expect(defaultTapName('lab', new Set(['kvt-lab-0', 'kvt-lab-2']))).toBe('kvt-lab-1');
  });

  it('cuts a long network name to fit 15 bytes, also once N has two digits', () => {
    expect(defaultTapName('development-net', new Set())).toBe('kvt-developme-0');
    const taken = new Set(Array.from({ length: 10 }, (_, n) => `kvt-developme-${n}`));
    expect(defaultTapName('development-net', taken)).toBe('kvt-developm-10');
    for (const name of [...taken, 'kvt-developm-10']) expect(InterfaceName.safeParse(name).success, name).toBe(true);
  });

  it('drops a "-" or "_" the cut leaves at the end of the stem', () => {
    expect(defaultTapName('abcdefgh-ijk', new Set())).toBe('kvt-abcdefgh-0');
    expect(defaultTapName('abcdefgh_ijk', new Set())).toBe('kvt-abcdefgh-0');
  });
});
