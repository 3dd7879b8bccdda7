import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isWildcardAddress, parseListeningSockets } from '../../../../main/core/attach/listening-sockets';

describe('parseListeningSockets', () => {
  it('reads `ss -H -ltnu` lines of every address form', () => {
    const output = [
      'udp   UNCONN 0      0          127.0.0.54:53        0.0.0.0:*',
      'udp   UNCONN 0      0       [fe80::1%eth0]:546         [::]:*',
      'tcp   LISTEN 0      4096    127.0.0.53%lo:53        0.0.0.0:*',
      'tcp   LISTEN 0      128           0.0.0.0:22        0.0.0.0:*',
      'tcp   LISTEN 0      128              [::]:22           [::]:*',
      'tcp   LISTEN 0      511                 *:80              *:*    users:(("httpd",pid=1,fd=3))',
      '',
    ].join('\n');
    expect(parseListeningSockets(output)).toEqual([
      { proto: 'udp', address: '127.0.0.54', port: 53 },
      { proto: 'udp', address: 'fe80::1', port: 546 },
      { proto: 'tcp', address: '127.0.0.53', port: 53 },
      { proto: 'tcp', address: '0.0.0.0', port: 22 },
      { proto: 'tcp', address: '::', port: 22 },
      { proto: 'tcp', address: '*', port: 80 },
    ]);
  });

  it('skips lines of other shapes (a header, ss without its Netid column, junk ports)', () => {
    const output = [
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port',
      'LISTEN 0      128    0.0.0.0:22 0.0.0.0:*',
      'tcp   LISTEN 0      128    0.0.0.0:http 0.0.0.0:*',
      'tcp   LISTEN 0      128    0.0.0.0:0 0.0.0.0:*',
    ].join('\n');
    expect(parseListeningSockets(output)).toEqual([]);
  });
});

describe('address classes', () => {
  it('tell wildcards and loopback apart', () => {
    expect(['*', '0.0.0.0', '::'].every(isWildcardAddress)).toBe(true);
    expect(isWildcardAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress('127.0.0.53')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('192.168.1.23')).toBe(false);
  });
});
