import { afterEach, describe, expect, it } from 'vitest';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { NO_BRIDGE, asKvmnetError, kvmnetClient } from '../../../../renderer/src/ipc/kvmnet-client';
import { installFakeBridge, removeBridge } from '../fixtures/fake-bridge';
import { hostSnapshot } from '../fixtures/host-snapshot';

afterEach(removeBridge);

describe('kvmnetClient', () => {
  it('returns the value of a successful call', async () => {
    installFakeBridge();
    expect(await kvmnetClient.invoke('host:snapshot')).toEqual(hostSnapshot());
  });

  it('throws a real KvmnetError carrying the code, message and field of a failed call', async () => {
    installFakeBridge({
      'privilege:elevate': async () => { throw new KvmnetError('HELPER', 'the helper stopped', 'helper.pid'); },
    });
    const error = await kvmnetClient.invoke('privilege:elevate').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(KvmnetError);
    expect(error).toMatchObject({ name: 'KvmnetError', code: 'HELPER', message: 'the helper stopped', field: 'helper.pid' });
    expect((error as Error).stack).toContain('KvmnetError');
  });

  it('rejects a response that breaks the channel schema instead of passing it on', async () => {
    installFakeBridge({ 'host:snapshot': async () => ({ hostname: 'x' }) as never });
    await expect(kvmnetClient.invoke('host:snapshot')).rejects.toMatchObject({ code: 'INTERNAL', field: 'takenAt' });
  });

  it('refuses a channel the bridge does not know, before anything is sent', async () => {
    const { handlers } = installFakeBridge();
    await expect(kvmnetClient.invoke('host:delete-everything' as never)).rejects.toMatchObject({ code: 'UNKNOWN_CHANNEL' });
    expect(handlers['host:snapshot']).not.toHaveBeenCalled();
  });

  it('says plainly when the page runs without the preload', async () => {
    removeBridge();
    await expect(kvmnetClient.invoke('app:info')).rejects.toMatchObject({ code: NO_BRIDGE });
    expect(() => kvmnetClient.on('host:changed', () => undefined)).toThrow(/window\.kvmnet is missing/);
  });

  it('delivers pushed events and stops after unsubscribing', () => {
    const bridge = installFakeBridge();
    const seen: string[] = [];
    const off = kvmnetClient.on('host:changed', (s) => seen.push(s.hostname));
    bridge.emit('host:changed', hostSnapshot({ hostname: 'first' }));
    off();
    bridge.emit('host:changed', hostSnapshot({ hostname: 'second' }));
    expect(seen).toEqual(['first']);
  });
});

describe('asKvmnetError', () => {
  it('keeps a KvmnetError and wraps anything else as INTERNAL', () => {
    const known = new KvmnetError('HELPER', 'x');
    expect(asKvmnetError(known)).toBe(known);
    expect(asKvmnetError(new TypeError('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
    expect(asKvmnetError('text')).toMatchObject({ code: 'INTERNAL', message: 'text' });
  });
});
