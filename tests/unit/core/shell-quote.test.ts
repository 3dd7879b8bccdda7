import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote, singleQuoted } from '../../../main/core/shell-quote';

describe('shellQuote', () => {
  it('leaves plain words bare', () => {
    expect(shellQuote('tap,id=net0,ifname=kv-lab.0,script=/etc/x')).toBe('tap,id=net0,ifname=kv-lab.0,script=/etc/x');
    expect(shellQuote('net.ipv4.ip_forward=1')).toBe('net.ipv4.ip_forward=1');
  });

  it.each([
    ['', "''"],
    ['a b', "'a b'"],
    ['$(reboot)', "'$(reboot)'"],
    ["it's", "'it'\\''s'"],
    ['*', "'*'"],
    ['"kvbr0"', `'"kvbr0"'`],
  ])('quotes %j as %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

describe('singleQuoted', () => {
  it('quotes even plain words', () => {
    expect(singleQuoted('kv-lab')).toBe("'kv-lab'");
    expect(singleQuoted("a'b")).toBe("'a'\\''b'");
  });
});

describe('shellCommand', () => {
  it('joins quoted words into one command', () => {
    expect(shellCommand('nmcli', 'device', 'set', 'my bridge', 'managed', 'no')).toBe(`nmcli device set 'my bridge' managed no`);
  });
});
