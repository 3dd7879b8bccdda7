import { describe, expect, it } from 'vitest';
import { checkLibvirtReachable } from '../../../../../main/core/doctor/checks/libvirt-reachable';
import { healthyFacts } from '../doctor-facts-fixture';

describe('libvirt-reachable', () => {
  it('is ok when libvirt answers, counting its networks', () => {
    expect(checkLibvirtReachable(healthyFacts())).toMatchObject({ status: 'ok', detail: expect.stringContaining('1 network.') });
  });

  it('is ok when libvirt is not installed at all: KVMNet works without it', () => {
    const facts = healthyFacts();
    facts.libvirt = { ...facts.libvirt, installed: false, reachable: false, networks: [] };
    expect(checkLibvirtReachable(facts)).toMatchObject({ status: 'ok', summary: 'libvirt is not installed' });
  });

  it('warns when the daemon is down and starts the units of the installed daemon', () => {
    const facts = healthyFacts();
    facts.libvirt = { ...facts.libvirt, reachable: false, failure: 'not-running', reason: 'libvirtd is not running (no socket at /var/run/libvirt/libvirt-sock)', networks: [] };
    const c = checkLibvirtReachable(facts);
    expect(c).toMatchObject({ status: 'warn', fix: { commands: ['systemctl enable --now libvirtd.socket'], safe: true } });
    expect(c.detail).toContain('libvirtd is not running');
    facts.libvirt.daemon = 'modular';
    expect(checkLibvirtReachable(facts).fix!.commands).toEqual(['systemctl enable --now virtqemud.socket virtnetworkd.socket']);
  });

  it('warns when the user may not connect and offers the libvirt group', () => {
    const facts = healthyFacts();
    facts.libvirt = { ...facts.libvirt, reachable: false, failure: 'permission', reason: 'not allowed to talk to libvirtd', networks: [] };
    expect(checkLibvirtReachable(facts)).toMatchObject({ status: 'warn', fix: { commands: ['usermod -aG libvirt alice'], safe: false } });
  });

  it('warns without a fix on a timeout', () => {
    const facts = healthyFacts();
    facts.libvirt = { ...facts.libvirt, reachable: false, failure: 'timeout', reason: 'libvirtd did not answer within 2 s', networks: [] };
    const c = checkLibvirtReachable(facts);
    expect(c.status).toBe('warn');
    expect(c.fix).toBeUndefined();
  });
});
