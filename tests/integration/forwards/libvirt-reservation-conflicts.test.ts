import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { HelperProcess } from '../helper/helper-process';
import { startCliLab, type CliLab } from '../cli/cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped reservation conflicts with a running libvirt network: ${skip}`);

const NET = 'lvr';

/**
 * A running libvirt network can serve reservations its definition lacks (`virsh net-update
 * --live`). libvirt's net-update adds an entry only when none shares its MAC, address or name,
 * and deletes only one that matches every attribute: a reservation beside a running entry that
 * shares one of them is refused with exit 2 naming the option, and nothing changes. KVMNet does
 * not modify the other entry instead: it is someone else's, and changing a guest's address
 * silently would take its forwards and DNS name with it.
 */
describe.skipIf(skip)('kvmnet reserve beside the reservations a running libvirt network serves', () => {
  let cli: CliLab;
  const virsh = (...args: string[]) => cli.lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });
  const liveHosts = async () => (await virsh('net-dumpxml', NET)).split('\n').filter((l) => l.includes('<host ')).map((l) => l.trim());

  beforeAll(async () => {
    cli = await startCliLab({ libvirtd: true });
    const created = await cli.kvmnet('create', 'nat', NET, '--backend', 'libvirt', '--subnet', '10.85.1.0/24');
    expect(created.exitCode, created.stderr).toBe(0);
    // changed on the running network only, as a user of virsh may
    await virsh('net-update', NET, 'add-last', 'ip-dhcp-host', "<host mac='52:54:00:6b:73:01' ip='10.85.1.10'/>", '--live');
    await virsh('net-update', NET, 'add-last', 'ip-dhcp-host', "<host mac='52:54:00:6b:73:03' name='web' ip='10.85.1.12'/>", '--live');
    await cli.settle();
  }, 120_000);

  afterAll(async () => {
    await cli?.close();
  });

  it.each([
    ['an address the running network reserves for another MAC', ['--mac', '52:54:00:6b:73:02', '--ip', '10.85.1.10'], /--ip 10\.85\.1\.10 is already reserved for 52:54:00:6b:73:01/],
    ['a MAC whose running entry has another address', ['--mac', '52:54:00:6b:73:01', '--ip', '10.85.1.11'], /--mac 52:54:00:6b:73:01 already has a reservation on lvr \(10\.85\.1\.10\)/],
    ['a name the running network gives another MAC', ['--mac', '52:54:00:6b:73:04', '--ip', '10.85.1.13', '--name', 'web'], /--name web already names 52:54:00:6b:73:03 \(10\.85\.1\.12\)/],
  ])('%s: exit 2, the option named, nothing changed', async (_case, args, message) => {
    const before = { state: await cli.state(), hosts: await liveHosts(), definition: await virsh('net-dumpxml', '--inactive', NET) };
    const r = await cli.kvmnet('reserve', NET, ...args);
    expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
    expect({ state: await cli.state(), hosts: await liveHosts(), definition: await virsh('net-dumpxml', '--inactive', NET) }).toEqual(before);
  });

  it('unreserving a reservation the running network holds with another address: exit 2 naming --mac, nothing changed', async () => {
    const reserved = await cli.kvmnet('reserve', NET, '--mac', '52:54:00:6b:73:06', '--ip', '10.85.1.16');
    expect(reserved.exitCode, reserved.stderr).toBe(0);
    await virsh('net-update', NET, 'modify', 'ip-dhcp-host', "<host mac='52:54:00:6b:73:06' ip='10.85.1.17'/>", '--live');
    const before = { state: await cli.state(), hosts: await liveHosts(), definition: await virsh('net-dumpxml', '--inactive', NET) };
    const r = await cli.kvmnet('unreserve', NET, '--mac', '52:54:00:6b:73:06');
    expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(/--mac 52:54:00:6b:73:06: network lvr runs with 52:54:00:6b:73:06 10\.85\.1\.17, not 52:54:00:6b:73:06 10\.85\.1\.16 as defined/);
    expect({ state: await cli.state(), hosts: await liveHosts(), definition: await virsh('net-dumpxml', '--inactive', NET) }).toEqual(before);
  }, 60_000);

  it('the helper refuses such a step too, before it changes anything: a conflicting entry is not "already there"', async () => {
    const helper = HelperProcess.start(cli.lab);
    try {
      const before = await liveHosts();
      for (const [host, field] of [[{ mac: '52:54:00:6b:73:01', ip: '10.85.1.11' }, 'mac'], [{ mac: '52:54:00:6b:73:02', ip: '10.85.1.10' }, 'ip']] as const) {
        for (const present of [true, false]) {
          const { response } = await helper.apply([{ op: 'libvirt.dhcpHost', network: NET, host, present }]);
          expect(response, `${JSON.stringify(host)} present ${present}`).toMatchObject({ ok: false, error: { code: 'APPLY_FAILED', message: expect.stringContaining(`runs with ${field === 'mac' ? 'another reservation for mac' : 'ip 10.85.1.10 reserved for another MAC'}`) } });
        }
      }
      expect(await liveHosts()).toEqual(before);
    } finally {
      await helper.close();
    }
  }, 60_000);

  it('a reservation that does not clash goes through, and its exact entry is then "already there"', async () => {
    const r = await cli.kvmnet('reserve', NET, '--mac', '52:54:00:6b:73:05', '--ip', '10.85.1.15');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await liveHosts()).toContain("<host mac='52:54:00:6b:73:05' ip='10.85.1.15'/>");
    const released = await cli.kvmnet('unreserve', NET, '--mac', '52:54:00:6b:73:05');
    expect(released.exitCode, released.stderr).toBe(0);
    expect((await liveHosts()).join('\n')).not.toContain('52:54:00:6b:73:05');
  }, 60_000);
});
