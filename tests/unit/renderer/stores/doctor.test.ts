import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setActivePinia } from 'pinia';
import { createTestingPinia } from '@pinia/testing';
import { CHECK_IDS } from '../../../../main/core/doctor/doctor-report';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { useDoctorStore } from '../../../../renderer/src/stores/doctor';
import { usePrivilegeStore } from '../../../../renderer/src/stores/privilege';
import { doctorView } from '../fixtures/doctor-view';
import { installFakeBridge, removeBridge } from '../fixtures/fake-bridge';

beforeEach(() => setActivePinia(createTestingPinia({ stubActions: false, createSpy: vi.fn })));
afterEach(removeBridge);

const fixedView = () => ({ ...doctorView({ 'ip-forward': { status: 'ok', summary: 'IP forwarding is on' } }), undoable: ['ip-forward' as const], checkedAt: '2026-11-22T08:01:00.000Z' });

describe('doctor store', () => {
  it('runs the checks and follows re-checks main pushes after a network change', async () => {
    const bridge = installFakeBridge();
    const doctor = useDoctorStore();
    await doctor.start();
    expect(doctor.counts).toEqual({ fail: 2, warn: 1, ok: CHECK_IDS.length - 3 });
    expect(bridge.listenerCount('doctor:changed')).toBe(1);
    bridge.emit('doctor:changed', fixedView());
    expect(doctor.counts.fail).toBe(1);
    expect(doctor.pushed).toBe(1);
    doctor.stop();
    expect(bridge.listenerCount('doctor:changed')).toBe(0);
  });

  it('asks for administrator rights first, then fixes by check id and keeps the result', async () => {
    const bridge = installFakeBridge({ 'doctor:fix': vi.fn(async ({ id }) => ({ id, status: 'done' as const, message: 'Fixed: set net.ipv4.ip_forward = 1', view: fixedView() })) });
    const doctor = useDoctorStore();
    await doctor.start();
    await doctor.fix('ip-forward');
    expect(bridge.handlers['privilege:elevate']).toHaveBeenCalledTimes(1);
    expect(bridge.handlers['doctor:fix']).toHaveBeenCalledWith({ id: 'ip-forward' });
    expect(doctor.results['ip-forward']).toEqual({ kind: 'fix', status: 'done', message: 'Fixed: set net.ipv4.ip_forward = 1' });
    expect(doctor.view?.undoable).toEqual(['ip-forward']);
    expect(doctor.applying).toBeNull();
  });

  it('runs nothing when administrator rights are refused, and says why', async () => {
    const bridge = installFakeBridge({ 'privilege:elevate': vi.fn(async () => ({ status: 'refused' as const, reason: 'dismissed' as const, message: 'the authentication dialog was dismissed' })) });
    const doctor = useDoctorStore();
    await doctor.start();
    await doctor.fix('ip-forward');
    expect(bridge.handlers['doctor:fix']).not.toHaveBeenCalled();
    expect(doctor.results['ip-forward']).toEqual({ kind: 'fix', status: 'no-rights', message: 'the authentication dialog was dismissed' });
    expect(usePrivilegeStore().elevated).toBe(false);
  });

  it('shows progress for the fix that runs, and a refusal from main as a failed result', async () => {
    const bridge: ReturnType<typeof installFakeBridge> = installFakeBridge({
      'doctor:fix': vi.fn(async ({ id }) => {
        bridge.emit('doctor:progress', { id, index: 0, total: 1, status: 'running', step: 'set net.ipv4.ip_forward = 1' });
        expect(useDoctorStore().progress).toMatchObject({ index: 0, step: 'set net.ipv4.ip_forward = 1' });
        throw new KvmnetError('BAD_REQUEST', 'The doctor has no safe fix for ip-forward now', 'id');
      }),
    });
    const doctor = useDoctorStore();
    await doctor.start();
    await doctor.fix('ip-forward');
    expect(bridge.handlers['doctor:fix']).toHaveBeenCalledTimes(1);
    expect(doctor.results['ip-forward']).toEqual({ kind: 'fix', status: 'failed', message: 'The doctor has no safe fix for ip-forward now' });
    expect(doctor.progress).toBeNull();
  });
});
