import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../main/helper/line-splitter';

const b = (s: string) => Buffer.from(s);

describe('LineSplitter', () => {
  it('splits lines across chunks, skips blank lines and strips CR', () => {
    const s = new LineSplitter(100);
    expect(s.push(b('{"a":1}\n{"b"'))).toEqual([{ line: '{"a":1}' }]);
    expect(s.push(b(':2}\r\n\n  \n{"c":3}'))).toEqual([{ line: '{"b":2}' }]);
    expect(s.end()).toEqual([{ line: '{"c":3}' }]);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const s = new LineSplitter(100);
    const bytes = b('"ŵ"\n');
    expect([...s.push(bytes.subarray(0, 2)), ...s.push(bytes.subarray(2))]).toEqual([{ line: '"ŵ"' }]);
  });

  it('reports an oversize line once, as soon as it crosses the limit, and resumes after its newline', () => {
    const s = new LineSplitter(10);
    expect(s.push(b('0123456789'))).toEqual([]);
    expect(s.push(b('x'))).toEqual([{ oversize: true }]);
    expect(s.push(b('yyyyyyyyyyyyyyyyyyyy'))).toEqual([]);
    expect(s.push(b('zz\nok\n'))).toEqual([{ line: 'ok' }]);
  });

  it('accepts a line of exactly the limit', () => {
    expect(new LineSplitter(4).push(b('abcd\n'))).toEqual([{ line: 'abcd' }]);
  });
});
