import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../lab/guest/console';

describe('guest console parsing', () => {
  it('finds the first marker behind the firmware line, terminal resets and a carriage return', () => {
    // as QEMU printed it once in twenty boots
    expect(parseConsoleLine('Booting from ROM..\x1bc\x1b[?7l\x1b[2J\x1b[0m.\rINIT\r')).toEqual({ kind: 'INIT' });
    expect(parseConsoleLine('Booting from ROM..\x1bc\x1b[?7l\x1b[2JINIT\r')).toEqual({ kind: 'INIT' });
  });

  it('types each marker line and leaves kernel output alone', () => {
    expect(parseConsoleLine('LEASE 10.80.0.11 prefix=24 dev=eth0 router=10.80.0.1\r')).toEqual({ kind: 'LEASE', ip: '10.80.0.11', prefix: 24, dev: 'eth0', router: '10.80.0.1' });
    expect(parseConsoleLine('LEASE 10.80.0.11 prefix=24 dev=eth1 router=')).toMatchObject({ router: undefined });
    expect(parseConsoleLine('MAC eth0 52:54:00:6b:76:01')).toEqual({ kind: 'MAC', dev: 'eth0', mac: '52:54:00:6b:76:01' });
    expect(parseConsoleLine('FETCH_OK http://198.51.100.10/marker kvmnet-upstream-marker')).toEqual({ kind: 'FETCH_OK', url: 'http://198.51.100.10/marker', body: 'kvmnet-upstream-marker' });
    expect(parseConsoleLine('[    1.738276] reboot: Power down')).toBeUndefined();
    expect(parseConsoleLine('PING_OK not-an-address')).toBeUndefined();
    expect(parseConsoleLine('constructor')).toBeUndefined();
  });
});
