import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { pings } from '../nm/nm-lab-steps';
import { startBridgedLab, type BridgedLab } from './bridged-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the macvtap shim proof: ${skip}`);

const GUEST = '203.0.113.70';

/**
 * The guest's end is a macvlan in bridge mode moved into a namespace of its own: macvtap is that
 * same driver with a character device for QEMU on top, so the host sees and misses its frames the
 * same way.
 */
describe.skipIf(skip)('macvtap direct attachment and the host shim kvmnet macvtap prints', () => {
  let b: BridgedLab;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false });
    await b.lab.sh('ip', ['netns', 'add', 'guest']);
    await b.lab.sh('ip', ['link', 'add', 'guest0', 'link', 'eth0', 'type', 'macvlan', 'mode', 'bridge']);
    await b.lab.sh('ip', ['link', 'set', 'guest0', 'netns', 'guest']);
    await b.lab.sh('ip', ['-n', 'guest', 'addr', 'add', `${GUEST}/24`, 'dev', 'guest0']);
    await b.lab.sh('ip', ['-n', 'guest', 'link', 'set', 'guest0', 'up']);
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  it('without the shim the LAN reaches the guest but the host does not; with the printed shim the host does', async () => {
    const fromRouter = await b.lab.run('ip', ['netns', 'exec', 'router', 'busybox', 'ping', '-c', '1', '-W', '2', GUEST]);
    expect(fromRouter.exitCode).toBe(0);
    expect(await pings(b.lab, GUEST)).toBe(false);

    const printed = await b.kvmnet('macvtap', '--uplink', 'eth0', '--shim-address', '203.0.113.60', '--guest', GUEST);
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('the host cannot reach them');
    expect(printed.stdout).toContain('<source dev="eth0" mode="bridge"/>');
    const shim = printed.stdout.split('The host shim (as root; gone at reboot):\n')[1]!.split('\n\n')[0]!.split('\n').map((l) => l.trim());
    expect(shim).toEqual([
      'ip link add kvshim0 link eth0 type macvlan mode bridge',
      'ip address add 203.0.113.60/32 dev kvshim0',
      'ip link set kvshim0 up',
      `ip route add ${GUEST}/32 dev kvshim0 src 203.0.113.60`,
    ]);
    await b.lab.sh('sh', ['-c', shim.join('\n')]);
    expect(await pings(b.lab, GUEST)).toBe(true);
    // the host's own LAN traffic still leaves by eth0
    expect(await b.lab.sh('ip', ['route', 'get', '203.0.113.1'])).toContain('dev eth0');

    const undo = printed.stdout.split('To remove it:\n')[1]!.trim();
    await b.lab.sh('sh', ['-c', undo]);
    expect(await pings(b.lab, GUEST)).toBe(false);
  }, 60_000);

  it('refuses a shim address that is not an address, naming it', async () => {
    const r = await b.kvmnet('macvtap', '--uplink', 'eth0', '--shim-address', 'nope');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('a free IPv4 address on the LAN');
  });
});
