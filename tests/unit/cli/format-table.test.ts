import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../main/cli/format-table';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(formatTable([['NAME', 'KIND', 'ADDRESSES'], ['kvbr0', 'bridge', '10.0.0.1/24'], ['lo', 'loopback', '']])).toEqual([
      'NAME   KIND      ADDRESSES',
      'kvbr0  bridge    10.0.0.1/24',
      'lo     loopback',
    ]);
  });
});
