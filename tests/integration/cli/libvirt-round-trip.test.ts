import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from './cli-lab';
import { warmUpLibvirt } from '../../lab/libvirtd';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet libvirt-backend lab tests: ${skip}`);

type Listed = Record<string, unknown> & { name: string };

const KINDS = [
  { kind: 'nat', name: 'lnat', extra: ['--domain', 'lnat.internal'], autostart: true },
  { kind: 'routed', name: 'lrouted', extra: ['--uplink', 'eth0'], autostart: true },
  { kind: 'hostonly', name: 'lho', extra: ['--no-dhcp', '--ipv6'], autostart: true },
  { kind: 'isolated', name: 'liso', extra: ['--no-autostart'], autostart: false },
] as const;

describe.skipIf(skip)('kvmnet create/list/stop/start/delete, libvirt backend, with libvirtd in a lab', () => {
  let cli: CliLab;
  let before: Awaited<ReturnType<CliLab['state']>>;
  const virsh = (...args: string[]) => cli.lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });

  beforeAll(async () => {
    cli = await startCliLab({ libvirtd: true });
    await warmUpLibvirt(cli.lab);
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
  });
  beforeEach(async () => {
    await cli.settle();
    before = await cli.state();
  });

  const list = async (): Promise<Listed[]> => JSON.parse((await cli.kvmnet('list', '--json')).stdout) as Listed[];
  const info = async (name: string) => Object.fromEntries((await virsh('net-info', name)).split('\n').map((l) => l.split(':').map((p) => p.trim())).filter((p) => p.length === 2)) as Record<string, string>;

  for (const { kind, name, extra, autostart } of KINDS) {
    it(`${kind}: a libvirt network with KVMNet's metadata, and after delete the host as before`, async () => {
      const created = await cli.kvmnet('create', kind, name, '--backend', 'libvirt', ...extra, '--json');
      expect(created.exitCode, created.stderr).toBe(0);
      const { network } = JSON.parse(created.stdout) as { network: { bridge: string; ipv4: { subnet: string; gateway: string } | null; dhcp: unknown } };

      expect(await info(name)).toMatchObject({ Active: 'yes', Persistent: 'yes', Autostart: autostart ? 'yes' : 'no', Bridge: network.bridge });
      const xml = await virsh('net-dumpxml', name);
      expect(xml).toContain('https://kvmnet.invalid/xmlns/network/1');
      expect(xml).toContain(`kind="${kind}"`);
      // libvirt made the bridge and gave it the gateway
      const addresses = await cli.lab.sh('ip', ['-o', 'addr', 'show', 'dev', network.bridge]);
      if (network.ipv4) expect(addresses).toContain(`inet ${network.ipv4.gateway}/${network.ipv4.subnet.split('/')[1]}`);

      expect((await list()).find((n) => n.name === name)).toMatchObject({
        kind, backend: 'libvirt', bridge: network.bridge, subnet: network.ipv4?.subnet ?? null, gateway: network.ipv4?.gateway ?? null,
        dhcp: network.dhcp, active: true, autostart, uplink: kind === 'routed' ? 'eth0' : null, managed: true, readOnly: false,
      });

      expect((await cli.kvmnet('stop', name)).exitCode).toBe(0);
      expect((await info(name)).Active).toBe('no');
      expect((await cli.kvmnet('start', name)).exitCode).toBe(0);
      expect((await info(name)).Active).toBe('yes');

      const deleted = await cli.kvmnet('delete', name);
      expect(deleted.exitCode, deleted.stderr).toBe(0);
      expect(await virsh('net-list', '--all', '--name')).not.toContain(name);
      await cli.settle();
      expect(await cli.state()).toEqual(before);
    });
  }

  it('lists libvirt networks KVMNet did not create as read-only, and refuses to change them', async () => {
    await cli.lab.sh('sh', ['-c', 'cat > /run/foreign.xml'], {
      input: "<network><name>foreign</name><bridge name='virbr7'/><ip address='10.98.0.1' netmask='255.255.255.0'><dhcp><range start='10.98.0.10' end='10.98.0.20'/></dhcp></ip></network>",
    });
    await virsh('net-define', '/run/foreign.xml');
    try {
      expect((await list()).find((n) => n.name === 'foreign')).toEqual({
        name: 'foreign', kind: 'hostonly', backend: 'libvirt', bridge: 'virbr7', subnet: '10.98.0.0/24', gateway: '10.98.0.1',
        dhcp: { start: '10.98.0.10', end: '10.98.0.20' }, ipv6: null, active: false, autostart: false, uplink: null,
        managed: false, readOnly: true, forwardMode: 'isolated',
      });
      const table = (await cli.kvmnet('list')).stdout;
      expect(table).toMatch(/^foreign +hostonly +libvirt +virbr7 +10\.98\.0\.0\/24 .* no \(read-only\)$/m);
      const start = await cli.kvmnet('start', 'foreign');
      expect(start.exitCode).toBe(2);
      expect((await info('foreign')).Active).toBe('no');
    } finally {
      await virsh('net-undefine', 'foreign');
    }
  });
});
