import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from './cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet direct IPv6 lab tests: ${skip}`);

const IPV6_FORWARDING = '/proc/sys/net/ipv6/conf/all/forwarding';

describe.skipIf(skip)('direct networks and the kernel\'s IPv6 switches, in a lab', () => {
  let cli: CliLab;
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

  it('nat with an IPv6 subnet turns IPv6 forwarding on, remembers 0, and delete puts it back', async () => {
    expect(before.sysctls[IPV6_FORWARDING]).toBe('0');
    const created = await cli.kvmnet('create', 'nat', 'six', '--backend', 'direct', '--ipv6', 'fd5a:c0de:60::/64', '--json');
    expect(created.exitCode, created.stderr).toBe(0);
    expect((await sh(`cat ${IPV6_FORWARDING}`)).trim()).toBe('1');
    expect((await sh('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
    const record = JSON.parse(await sh('cat /etc/kvmnet/networks/six.json')) as { ipForwardBefore?: string; ipv6ForwardingBefore?: string };
    expect(record).toMatchObject({ ipForwardBefore: '0', ipv6ForwardingBefore: '0' });
    const table = await cli.lab.sh('nft', ['list', 'table', 'inet', 'kvmnet']);
    expect(table).toContain('ip6 saddr fd5a:c0de:60::/64 accept comment "kvmnet:six"');
    expect(table).toMatch(/ip6 saddr fd5a:c0de:60::\/64 ip6 daddr != fd5a:c0de:60::\/64 .*masquerade comment "kvmnet:six"/);

    const deleted = await cli.kvmnet('delete', 'six');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect((await sh(`cat ${IPV6_FORWARDING}`)).trim()).toBe('0');
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  });

  it('refuses IPv6 forwarding while eth0 takes its IPv6 route from router advertisements with accept_ra 1; accepts it with accept_ra 2', async () => {
    await sh('ip -6 route add default via fe80::1 dev eth0 proto ra');
    try {
      await cli.settle();
      before = await cli.state();
      expect((await sh('cat /proc/sys/net/ipv6/conf/eth0/accept_ra')).trim()).toBe('1');
      const refused = await cli.kvmnet('create', 'nat', 'ra', '--backend', 'direct', '--ipv6');
      expect(refused.exitCode, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(/^kvmnet: --ipv6: .*net\.ipv6\.conf\.eth0\.accept_ra is 1.*Set net\.ipv6\.conf\.eth0\.accept_ra=2 first/m);
      expect(refused.stderr).toContain('kvmnet: nothing was changed');
      expect(await cli.state()).toEqual(before);

      await sh('sysctl -q -w net.ipv6.conf.eth0.accept_ra=2');
      const created = await cli.kvmnet('create', 'nat', 'ra', '--backend', 'direct', '--ipv6');
      expect(created.exitCode, created.stderr).toBe(0);
      expect((await sh(`cat ${IPV6_FORWARDING}`)).trim()).toBe('1');
      // the advertised route survives: accept_ra 2 keeps following advertisements with forwarding on
      expect(await sh('ip -6 route show default')).toContain('proto ra');
      expect((await cli.kvmnet('delete', 'ra')).exitCode).toBe(0);
      expect((await sh(`cat ${IPV6_FORWARDING}`)).trim()).toBe('0');
    } finally {
      await sh('ip -6 route del default via fe80::1 dev eth0 proto ra; sysctl -q -w net.ipv6.conf.eth0.accept_ra=1');
    }
  });

  it('on a kernel without IPv6 (ipv6.disable=1, faked by hiding /proc/sys/net/ipv6 in the lab), create and delete succeed', async () => {
    await sh('mount -t tmpfs -o ro kvmnet-no-ipv6 /proc/sys/net/ipv6');
    try {
      expect(await sh('ls -A /proc/sys/net/ipv6')).toBe('');
      const hidden = await cli.state();
      const created = await cli.kvmnet('create', 'nat', 'noip6', '--backend', 'direct');
      expect(created.exitCode, created.stderr).toBe(0);
      expect(created.stderr).toMatch(/^ {2}done +3\/\d+ .*disable_ipv6/m);
      expect((await sh('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
      expect(await cli.lab.sh('nft', ['list', 'table', 'inet', 'kvmnet'])).toContain('comment "kvmnet:noip6"');
      const deleted = await cli.kvmnet('delete', 'noip6');
      expect(deleted.exitCode, deleted.stderr).toBe(0);
      await cli.settle();
      expect(await cli.state()).toEqual(hidden);
    } finally {
      await sh('umount /proc/sys/net/ipv6');
    }
  });
});
