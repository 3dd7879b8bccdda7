import { describe, expect, it } from 'vitest';
import { batchOutcome, ipLine } from '../../../main/helper/ip-line';

describe('ipLine', () => {
  it('joins plain words', () => {
    expect(ipLine('link', 'set', 'dev', 'kvbr0', 'alias', 'kvmnet:lab')).toBe('link set dev kvbr0 alias kvmnet:lab');
    expect(ipLine('address', 'add', 'fd00::1/64', 'dev', 'kv.0')).toBe('address add fd00::1/64 dev kv.0');
  });

  it.each(['br0;rm', 'a b', '$(reboot)', '#comment', '"quoted"', "it's", '-force', '', 'a\nb', 'tab\there'])('refuses the token %j', (token) => {
    expect(() => ipLine('link', 'delete', 'dev', token)).toThrow(/not a plain word/);
  });
});

describe('batchOutcome', () => {
  it('is ok on exit 0', () => expect(batchOutcome(0, '')).toEqual({ ok: true }));

  it('reads the failing line and the kernel message', () => {
    expect(batchOutcome(1, 'RTNETLINK answers: File exists\nCommand failed -:2\n')).toEqual({ ok: false, failedLine: 2, message: 'RTNETLINK answers: File exists' });
    expect(batchOutcome(1, 'Error: Device does not exist.\nCommand failed -:17\n')).toMatchObject({ failedLine: 17 });
  });

  it('has no line when ip stopped while parsing', () => {
    expect(batchOutcome(255, 'Error: any valid prefix is expected rather than "10.0.0.1/33".\n')).toEqual({ ok: false, message: 'Error: any valid prefix is expected rather than "10.0.0.1/33".' });
    expect(batchOutcome(1, '')).toEqual({ ok: false, message: 'ip exited with 1' });
  });
});
