import { describe, expect, it } from 'vitest';
import { checkTunDevice } from '../../../../../main/core/doctor/checks/tun-device';
import { healthyFacts } from '../doctor-facts-fixture';

describe('tun-device', () => {
  it('is ok when /dev/net/tun is there with its usual mode', () => {
    expect(checkTunDevice(healthyFacts()).status).toBe('ok');
  });

  it('fails when it is missing, and loads the module', () => {
    const facts = healthyFacts();
    facts.devices.tun = { path: '/dev/net/tun', exists: false };
    expect(checkTunDevice(facts)).toMatchObject({ status: 'fail', fix: { commands: ['modprobe tun'], safe: true } });
  });

  it('fails when the user cannot open it, and restores mode 0666 with the old mode as undo', () => {
    const facts = healthyFacts();
    facts.devices.tun = { path: '/dev/net/tun', exists: true, mode: 0o600, uid: 0, gid: 0 };
    expect(checkTunDevice(facts)).toMatchObject({
      status: 'fail',
      fix: { commands: ['chmod 0666 /dev/net/tun'], safe: true, undo: 'Set the old mode back: chmod 0600 /dev/net/tun' },
    });
  });

  it('checks access for root as root: always allowed', () => {
    const facts = healthyFacts();
    facts.user = { name: 'root', uid: 0, gids: [0] };
    facts.devices.tun = { path: '/dev/net/tun', exists: true, mode: 0o600, uid: 0, gid: 0 };
    expect(checkTunDevice(facts).status).toBe('ok');
  });
});
