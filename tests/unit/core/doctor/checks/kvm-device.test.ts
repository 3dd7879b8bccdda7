import { describe, expect, it } from 'vitest';
import { checkKvmDevice } from '../../../../../main/core/doctor/checks/kvm-device';
import { healthyFacts } from '../doctor-facts-fixture';

describe('kvm-device', () => {
  it('is ok when /dev/kvm exists and the user is in its group', () => {
    expect(checkKvmDevice(healthyFacts())).toMatchObject({ id: 'kvm-device', status: 'ok' });
  });

  it('warns with modprobe of the vendor module when the CPU can but /dev/kvm is missing', () => {
    const facts = healthyFacts();
    facts.devices.kvm = { path: '/dev/kvm', exists: false };
    facts.cpuVirtualization = 'svm';
    expect(checkKvmDevice(facts)).toMatchObject({ status: 'warn', fix: { commands: ['modprobe kvm_amd'], safe: true, undo: 'Unload it: modprobe -r kvm_amd' } });
  });

  it('warns without a command when the CPU offers no virtualization', () => {
    const facts = healthyFacts();
    facts.devices.kvm = { path: '/dev/kvm', exists: false };
    facts.cpuVirtualization = null;
    const c = checkKvmDevice(facts);
    expect(c.status).toBe('warn');
    expect(c.fix).toBeUndefined();
    expect(c.detail).toContain('firmware');
  });

  it('fails when the user is not in the group that may open it, and the fix adds them (not safe)', () => {
    const facts = healthyFacts();
    facts.user.gids = [1000];
    const c = checkKvmDevice(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'alice cannot use /dev/kvm', fix: { commands: ['usermod -aG kvm alice'], safe: false } });
    expect(c.fix!.undo).toContain('gpasswd -d alice kvm');
    expect(c.detail).toContain('mode 0660');
  });

  it('names the group by number when /etc/group has no name for it', () => {
    const facts = healthyFacts();
    facts.user.gids = [1000];
    facts.devices.kvm = { path: '/dev/kvm', exists: true, mode: 0o660, uid: 0, gid: 36 };
    expect(checkKvmDevice(facts).fix!.commands).toEqual(['usermod -aG 36 alice']);
  });
});
