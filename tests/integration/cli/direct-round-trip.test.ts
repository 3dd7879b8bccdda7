import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from './cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet direct-backend lab tests: ${skip}`);

type Listed = Record<string, unknown> & { name: string };

const KINDS = [
  { kind: 'nat', name: 'dnat', extra: [], forwards: true, dnsmasq: true },
  { kind: 'routed', name: 'drouted', extra: ['--uplink', 'eth0'], forwards: true, dnsmasq: true },
  { kind: 'hostonly', name: 'dho', extra: ['--domain', 'ho.internal', '--ipv6'], forwards: false, dnsmasq: true },
  { kind: 'isolated', name: 'diso', extra: ['--mtu', '9000'], forwards: false, dnsmasq: false },
] as const;

describe.skipIf(skip)('kvmnet create/list/stop/start/delete, direct backend, in a lab', () => {
  let cli: CliLab;
  /** each test compares with the host as it found it, so one test's leftovers do not fail the next */
  let before: Awaited<ReturnType<CliLab['state']>>;
  beforeAll(async () => {
    cli = await startCliLab();
  }, 120_000);
  beforeEach(async () => {
    await cli.settle();
    before = await cli.state();
  });
  afterAll(async () => {
    await cli?.close();
  });

  const sh = (script: string) => cli.lab.sh('sh', ['-c', script]);
  const list = async (): Promise<Listed[]> => JSON.parse((await cli.kvmnet('list', '--json')).stdout) as Listed[];
  const dnsmasqs = async () => (await cli.lab.run('pgrep', ['-x', 'dnsmasq'])).stdout.split('\n').filter(Boolean);

  for (const { kind, name, extra, forwards, dnsmasq } of KINDS) {
    it(`${kind}: create, list, stop, start and delete leave the host exactly as before`, async () => {
      expect(before.sysctls['/proc/sys/net/ipv4/ip_forward']).toBe('0');
      const created = await cli.kvmnet('create', kind, name, '--backend', 'direct', ...extra, '--json');
      expect(created.exitCode, created.stderr).toBe(0);
      const { network } = JSON.parse(created.stdout) as { network: { bridge: string; ipv4: { subnet: string; gateway: string } | null } };
      expect(network.bridge).toBe(`kv-${name}`);
      // progress, one line per step, on stderr
      expect(created.stderr).toMatch(new RegExp(`^ {2}done +1/\\d+ create bridge kv-${name}$`, 'm'));

      const link = JSON.parse(await cli.lab.sh('ip', ['-j', '-d', 'addr', 'show', 'dev', network.bridge])) as { ifalias?: string; operstate: string; mtu: number; addr_info: { local: string; prefixlen: number; scope: string }[]; linkinfo: { info_kind: string } }[];
      expect(link[0]!.linkinfo.info_kind).toBe('bridge');
      expect(link[0]!.ifalias).toBe(`kvmnet:${name}`);
      const global = link[0]!.addr_info.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
      if (network.ipv4) expect(global[0]).toBe(`${network.ipv4.gateway}/${network.ipv4.subnet.split('/')[1]}`);
      else expect(global).toEqual([]);
      if (kind === 'isolated') expect(link[0]!.mtu).toBe(9000);
      if (kind === 'hostonly') expect(global).toHaveLength(2);
      // without --ipv6 the bridge must never get a link-local address (it would once a port brings carrier)
      expect((await sh(`cat /proc/sys/net/ipv6/conf/${network.bridge}/disable_ipv6`)).trim()).toBe(kind === 'hostonly' ? '0' : '1');

      expect((await sh('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe(forwards ? '1' : '0');
      expect(await cli.lab.sh('nft', ['list', 'table', 'inet', 'kvmnet'])).toContain(`comment "kvmnet:${name}"`);
      expect(await dnsmasqs()).toHaveLength(dnsmasq ? 1 : 0);
      const record = JSON.parse(await sh(`cat /etc/kvmnet/networks/${name}.json`)) as { spec: unknown; ipForwardBefore?: string };
      expect(record.spec).toEqual(network);
      expect(record.ipForwardBefore).toBe(forwards ? '0' : undefined);
      expect(await sh('readlink /etc/systemd/system/multi-user.target.wants/kvmnet-restore.service')).toContain('kvmnet-restore.service');

      const listed = (await list()).find((n) => n.name === name);
      expect(listed).toMatchObject({
        kind, backend: 'direct', bridge: `kv-${name}`, subnet: network.ipv4?.subnet ?? null, gateway: network.ipv4?.gateway ?? null,
        active: true, autostart: true, uplink: kind === 'routed' ? 'eth0' : null, managed: true, readOnly: false,
      });

      const stopped = await cli.kvmnet('stop', name);
      expect(stopped.exitCode, stopped.stderr).toBe(0);
      expect((await cli.lab.run('ip', ['link', 'show', 'dev', network.bridge])).exitCode).not.toBe(0);
      expect(await dnsmasqs()).toHaveLength(0);
      expect((await list()).find((n) => n.name === name)).toMatchObject({ active: false });
      expect((await cli.kvmnet('stop', name)).stdout).toBe(`network ${name} is not running`);

      const started = await cli.kvmnet('start', name);
      expect(started.exitCode, started.stderr).toBe(0);
      expect((await list()).find((n) => n.name === name)).toMatchObject({ active: true });
      expect(await dnsmasqs()).toHaveLength(dnsmasq ? 1 : 0);

      const deleted = await cli.kvmnet('delete', name);
      expect(deleted.exitCode, deleted.stderr).toBe(0);
      expect(deleted.stdout).toBe(`deleted network ${name}`);
      expect(await dnsmasqs()).toEqual([]);
      await cli.settle();
      expect(await cli.state()).toEqual(before);
      expect(await list()).toEqual([]);
    });
  }

  it('ip_forward: the memory of "off" passes to the remaining network and is restored with the last one', async () => {
    expect(before.sysctls['/proc/sys/net/ipv4/ip_forward']).toBe('0');
    expect((await cli.kvmnet('create', 'nat', 'fa', '--backend', 'direct')).exitCode).toBe(0);
    expect((await cli.kvmnet('create', 'routed', 'fb', '--backend', 'direct', '--uplink', 'eth0')).exitCode).toBe(0);
    const recordOf = async (n: string) => JSON.parse(await sh(`cat /etc/kvmnet/networks/${n}.json`)) as { ipForwardBefore?: string };
    expect((await recordOf('fa')).ipForwardBefore).toBe('0');
    expect((await recordOf('fb')).ipForwardBefore).toBeUndefined();

    expect((await cli.kvmnet('delete', 'fa')).exitCode).toBe(0);
    expect((await sh('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
    expect((await recordOf('fb')).ipForwardBefore).toBe('0');

    expect((await cli.kvmnet('delete', 'fb')).exitCode).toBe(0);
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  });

  it('a step that fails rolls everything back: exit 1, the failed step and the rollback named', async () => {
    // a file where the helper keeps dnsmasq's configuration: dnsmasq.start cannot write it
    await sh('mkdir -p /run/kvmnet && rm -rf /run/kvmnet/dnsmasq && touch /run/kvmnet/dnsmasq');
    try {
      const r = await cli.kvmnet('create', 'nat', 'broken', '--backend', 'direct');
      expect(r.exitCode, r.stderr).toBe(1);
      // whether the helper finds the problem before running anything or while running, it says which step and that all is undone
      expect(r.stderr).toMatch(/^kvmnet: step 7\/9 \(start dnsmasq \(DHCP and DNS\) on kv-broken\) failed: .*not a directory/m);
      expect(r.stderr).toMatch(/^kvmnet: rolled back: \d+ completed step\(s\) undone; the host is as it was before$/m);
    } finally {
      await sh('rm -f /run/kvmnet/dnsmasq');
    }
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  });
});
