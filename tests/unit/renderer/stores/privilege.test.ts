import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setActivePinia } from 'pinia';
import { createTestingPinia } from '@pinia/testing';
import type { PrivilegeState } from '../../../../main/core/privilege-state';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { usePrivilegeStore } from '../../../../renderer/src/stores/privilege';
import { installFakeBridge, removeBridge } from '../fixtures/fake-bridge';

beforeEach(() => setActivePinia(createTestingPinia({ stubActions: false, createSpy: vi.fn })));
afterEach(removeBridge);

describe('privilege store', () => {
  it('starts from the state the main process reports', async () => {
    installFakeBridge({ 'privilege:state': async () => ({ status: 'elevated', method: 'pkexec', helperPid: 7 }) });
    const privilege = usePrivilegeStore();
    await privilege.start();
    expect(privilege.state).toEqual({ status: 'elevated', method: 'pkexec', helperPid: 7 });
    expect(privilege.elevated).toBe(true);
  });

  it('elevates: busy while waiting, pushed progress shown, then the outcome', async () => {
    let finish!: (s: PrivilegeState) => void;
    const bridge = installFakeBridge({ 'privilege:elevate': () => new Promise((r) => { finish = r; }) });
    const privilege = usePrivilegeStore();
    await privilege.start();
    const pending = privilege.elevate();
    expect(privilege.busy).toBe(true);
    bridge.emit('privilege:changed', { status: 'elevating', method: 'pkexec' });
    expect(privilege.state).toEqual({ status: 'elevating', method: 'pkexec' });
    await vi.waitFor(() => expect(finish).toBeTypeOf('function'));
    finish({ status: 'elevated', method: 'pkexec', helperPid: 99 });
    await pending;
    expect(privilege.busy).toBe(false);
    expect(privilege.elevated).toBe(true);
    expect(privilege.state).toMatchObject({ helperPid: 99 });
  });

  it('keeps a refusal as the state, not as an error', async () => {
    installFakeBridge({ 'privilege:elevate': async () => ({ status: 'refused', reason: 'dismissed', message: 'pkexec exited with 126' }) });
    const privilege = usePrivilegeStore();
    await privilege.start();
    await privilege.elevate();
    expect(privilege.state).toEqual({ status: 'refused', reason: 'dismissed', message: 'pkexec exited with 126' });
    expect(privilege.error).toBeNull();
    expect(privilege.elevated).toBe(false);
  });

  it('sends one request for a double click, and none once elevated', async () => {
    const { handlers } = installFakeBridge();
    const privilege = usePrivilegeStore();
    await privilege.start();
    await Promise.all([privilege.elevate(), privilege.elevate()]);
    await privilege.elevate();
    expect(handlers['privilege:elevate']).toHaveBeenCalledTimes(1);
    expect(privilege.state).toEqual({ status: 'elevated', method: 'root', helperPid: 4242 });
  });

  it('keeps a failed call as an error with its code and stays read-only', async () => {
    installFakeBridge({ 'privilege:elevate': async () => { throw new KvmnetError('HELPER', 'helper bundle not found'); } });
    const privilege = usePrivilegeStore();
    await privilege.start();
    await privilege.elevate();
    expect(privilege.error).toMatchObject({ code: 'HELPER', message: 'helper bundle not found' });
    expect(privilege.state).toEqual({ status: 'read-only' });
    expect(privilege.busy).toBe(false);
  });
});
