import { describe, expect, it } from 'vitest';
import { commandLine, shellWord, singleQuoted } from '../../../../main/core/attach/shell-word';

describe('shellWord', () => {
  it('leaves plain words bare', () => {
    expect(shellWord('tap,id=net0,ifname=kv-lab.0,script=/etc/x')).toBe('tap,id=net0,ifname=kv-lab.0,script=/etc/x');
  });

  it.each([
    ['', "''"],
    ['a b', "'a b'"],
    ['$(reboot)', "'$(reboot)'"],
    ["it's", "'it'\\''s'"],
    ['*', "'*'"],
  ])('quotes %j as %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
  });
});

describe('commandLine', () => {
  it('joins quoted words and keeps the argv as given', () => {
    expect(commandLine(['echo', 'a b', 'c'])).toEqual({ argv: ['echo', 'a b', 'c'], shell: "echo 'a b' c" });
  });
});

describe('singleQuoted', () => {
  it('quotes even plain words', () => {
    expect(singleQuoted('kv-lab')).toBe("'kv-lab'");
    expect(singleQuoted("a'b")).toBe("'a'\\''b'");
  });
});
