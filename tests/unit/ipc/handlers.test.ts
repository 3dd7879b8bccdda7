import { describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../../../main/ipc/handlers';
import { dispatch } from '../../../main/ipc/dispatch';
import type { Services } from '../../../main/services/services';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import type { PrivilegeState } from '../../../main/core/privilege-state';
import { unusedNetworkService } from '../fixtures/network-stubs';
import { unusedBridgedService } from '../fixtures/bridged-stubs';
import { unusedGuestService } from '../fixtures/guest-stubs';

const snapshot: HostSnapshot = {
  takenAt: '2025-01-01T00:00:00.000Z',
  hostname: 'laptop',
  links: [],
  routes: [{ family: 'inet', dst: 'default', gateway: '192.0.2.1', dev: 'eth0' }],
  libvirt: { available: true, networks: [], domains: [] },
};

function services(): Services & { elevate: ReturnType<typeof vi.fn> } {
  let state: PrivilegeState = { status: 'read-only' };
  const elevate = vi.fn(async () => {
    state = { status: 'elevated', method: 'root', helperPid: 99 };
    return state;
  });
  return {
    appInfo: () => ({ name: 'KVMNet', version: '1.2.3', platform: 'linux', transport: 'test' }),
    observer: { snapshot: async () => snapshot },
    privilege: { state: () => state, elevate },
    doctor: {
      run: async () => { throw new Error('no doctor here'); },
      fix: vi.fn(async () => { throw new Error('no doctor here'); }),
      undo: async () => { throw new Error('no doctor here'); },
    },
    networks: unusedNetworkService(),
    counters: { watch: vi.fn(() => ({ intervalMs: 2000 })) },
    bridged: unusedBridgedService(),
    guests: unusedGuestService(),
    elevate,
  };
}

describe('createHandlers', () => {
  it('answers every channel from the services, through dispatch', async () => {
    const s = services();
    const handlers = createHandlers(s);
    await expect(dispatch(handlers, 'app:info', undefined)).resolves.toEqual({ ok: true, value: { name: 'KVMNet', version: '1.2.3', platform: 'linux', transport: 'test' } });
    await expect(dispatch(handlers, 'host:snapshot', undefined)).resolves.toEqual({ ok: true, value: snapshot });
    await expect(dispatch(handlers, 'privilege:state', undefined)).resolves.toEqual({ ok: true, value: { status: 'read-only' } });
    await expect(dispatch(handlers, 'privilege:elevate', undefined)).resolves.toEqual({ ok: true, value: { status: 'elevated', method: 'root', helperPid: 99 } });
    await expect(dispatch(handlers, 'privilege:state', undefined)).resolves.toEqual({ ok: true, value: { status: 'elevated', method: 'root', helperPid: 99 } });
    expect(s.elevate).toHaveBeenCalledTimes(1);
  });

  it('refuses a doctor fix for a check that does not exist, naming the field, before the doctor sees it', async () => {
    const s = services();
    const handlers = createHandlers(s);
    const refused = await dispatch(handlers, 'doctor:fix', { id: 'rm -rf /' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'id' } });
    await expect(dispatch(handlers, 'doctor:fix', { id: 'ip-forward', plan: { steps: [] } })).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(s.doctor.fix).not.toHaveBeenCalled();
  });

  it('passes an observer failure on as an error envelope', async () => {
    const s = services();
    const handlers = createHandlers({ ...s, observer: { snapshot: () => Promise.reject(new Error('ip -j link failed')) } });
    await expect(dispatch(handlers, 'host:snapshot', undefined)).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'ip -j link failed' } });
  });

  it('hands host:watch-counters to the counters feed with its caller, and refuses a call that names no caller', async () => {
    const s = services();
    const handlers = createHandlers(s);
    const caller = { id: 'webContents:7', send: vi.fn(), onGone: vi.fn(() => () => undefined) };
    await expect(dispatch(handlers, 'host:watch-counters', { watching: true }, caller)).resolves.toEqual({ ok: true, value: { intervalMs: 2000 } });
    expect(s.counters.watch).toHaveBeenCalledWith(caller, true);
    await expect(dispatch(handlers, 'host:watch-counters', { watching: 'yes' }, caller)).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'watching' } });
    await expect(dispatch(handlers, 'host:watch-counters', { watching: false })).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(s.counters.watch).toHaveBeenCalledTimes(1);
  });
});
