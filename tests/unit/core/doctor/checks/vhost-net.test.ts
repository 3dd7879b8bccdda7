import { describe, expect, it } from 'vitest';
import { checkVhostNet } from '../../../../../main/core/doctor/checks/vhost-net';
import { healthyFacts } from '../doctor-facts-fixture';

describe('vhost-net', () => {
  it('is ok when the device exists and the user may open it', () => {
    expect(checkVhostNet(healthyFacts()).status).toBe('ok');
  });

  it('warns when it is missing (QEMU still works, slower) and loads vhost_net', () => {
    const facts = healthyFacts();
    facts.devices.vhostNet = { path: '/dev/vhost-net', exists: false };
    expect(checkVhostNet(facts)).toMatchObject({ status: 'warn', fix: { commands: ['modprobe vhost_net'], safe: true } });
  });

  it('warns when only the user cannot open it', () => {
    const facts = healthyFacts();
    facts.user.gids = [1000];
    expect(checkVhostNet(facts)).toMatchObject({ status: 'warn', summary: 'alice cannot use /dev/vhost-net', fix: { commands: ['usermod -aG kvm alice'], safe: false } });
  });
});
