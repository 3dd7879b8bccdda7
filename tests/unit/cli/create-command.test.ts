import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { FakeEngine, runWith } from './fake-engine';

/** exit 2, nothing run, and each expected text in the messages */
async function refused(argv: string[], ...expected: (string | RegExp)[]) {
  const engine = new FakeEngine();
  const r = await runWith(engine, 'create', ...argv);
  expect(r.code, r.stderr).toBe(ExitCode.BadInput);
  expect(engine.plans).toEqual([]);
  for (const text of expected) expect(r.stderr).toMatch(text);
  expect(r.stderr).toContain('nothing was changed');
  return r;
}

describe('kvmnet create: bad input exits 2 naming the option, before anything runs', () => {
  it.each([
    [['bridge', 'x'], 'kvmnet: kind: "bridge" is not a network kind; use one of nat, routed, hostonly, isolated'],
    [['nat', 'a;reboot'], /^kvmnet: name: network name may use only letters/m],
    [['nat', '$(id)'], /^kvmnet: name: network name may use only/m],
    [['nat', 'lab'], /^kvmnet: name: "lab" is already used by the network "lab"; choose another name, e\.g\. "lab-2"/m],
    [['nat', 'x', '--subnet', '192.168.1.0/24'], /^kvmnet: --subnet: 192\.168\.1\.0\/24 overlaps the host route 192\.168\.1\.0\/24 on eth0; pick another, e\.g\. 10\.80\.1\.0\/24$/m],
    [['nat', 'x', '--subnet', '10.80.0.0/24'], /^kvmnet: --subnet: 10\.80\.0\.0\/24 overlaps the host route 10\.80\.0\.0\/24 on kv-lab; pick another, e\.g\. 10\.80\.1\.0\/24$/m],
    [['nat', 'x', '--subnet', '10.80.1.0/31'], /^kvmnet: --subnet: 10\.80\.1\.0\/31 is too small/m],
    [['nat', 'x', '--subnet', '10.80.1.7/24'], /^kvmnet: --subnet: "10\.80\.1\.7\/24" names an address inside a subnet; write the subnet itself: 10\.80\.1\.0\/24/m],
    [['nat', 'x', '--subnet', '10.80.1.0/24', '--dhcp', '10.80.2.10-10.80.2.20'], /^kvmnet: --dhcp start: 10\.80\.2\.10 is outside the subnet 10\.80\.1\.0\/24; use 10\.80\.1\.128–10\.80\.1\.254 instead/m],
    [['nat', 'x', '--subnet', '10.80.1.0/24', '--dhcp', '10.80.1.1-10.80.1.20'], /^kvmnet: --dhcp: range 10\.80\.1\.1–10\.80\.1\.20 includes the gateway \(the host's own address\) 10\.80\.1\.1, which DHCP must not hand to a guest; use 10\.80\.1\.128–10\.80\.1\.254 instead$/m],
    [['nat', 'x', '--dhcp', '10.80.1.10'], /^kvmnet: --dhcp: "10\.80\.1\.10" is not a range; write it as START-END/m],
    [['nat', 'x', '--mtu', 'big'], /^kvmnet: --mtu: "big" is not a whole number; use one from 68 to 65535/m],
    [['nat', 'x', '--mtu', '20'], /^kvmnet: --mtu: 20 is below 68/m],
    [['nat', 'x', '--backend', 'qemu'], /^kvmnet: --backend must be "libvirt" \(a libvirt network\) or "direct"/m],
    [['nat', 'x', '--domain', 'bad_domain'], /^kvmnet: --domain: "bad_domain" is not a DNS domain/m],
    [['nat', 'x', '--bridge', 'eth0'], /^kvmnet: --bridge: "eth0" is already an interface on this host \(physical, not created by KVMNet\)/m],
    [['nat', 'x', '--bridge', 'kv-0123456789abc'], /^kvmnet: --bridge: interface name is longer than 15 bytes/m],
    [['routed', 'x'], /^kvmnet: --uplink is required for a routed network: .*e\.g\. "eth0"/m],
    [['nat', 'x', '--uplink', 'eth9'], /^kvmnet: --uplink: "eth9" is not an interface on this host; choose one of eth0, wlan0/m],
    [['isolated', 'x', '--subnet', '10.80.1.0/24'], /^kvmnet: --subnet must be left out for an isolated network/m],
    [['nat', 'x', '--proxy-arp'], /^kvmnet: --proxy-arp: proxy ARP is only for routed networks/m],
    [['routed', 'x', '--proxy-arp'], /^kvmnet: --uplink is required for proxy ARP: name the host interface on the LAN/m],
    [['routed', 'x', '--proxy-arp', '--uplink', 'wlan0', '--subnet', '10.0.5.0/24'], /^kvmnet: --subnet: 10\.0\.5\.0\/24 is the whole LAN of wlan0: .*use a free slice such as 10\.0\.5\.240\/28$/m],
    [['routed', 'x', '--proxy-arp', '--uplink', 'wlan0', '--backend', 'libvirt'], /^kvmnet: --backend: "libvirt" cannot run a proxy-ARP network/m],
  ])('create %j', async (argv, expected) => {
    await refused(argv, expected);
  });

  it('reports every problem at once', async () => {
    const r = await refused(['nat', 'x', '--subnet', '192.168.1.0/24', '--mtu', 'big', '--domain', '-x'], /--subnet: /, /--mtu: /, /--domain: /);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('kvmnet: --'))).toHaveLength(3);
  });

  it('--json puts the issues on stdout as well, with field and option', async () => {
    const r = await refused(['nat', 'x', '--subnet', '192.168.1.0/24', '--json'], /--subnet/);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      error: { code: 'BAD_INPUT', issues: [{ field: 'ipv4.subnet', option: '--subnet', message: expect.stringMatching(/^--subnet: 192\.168\.1\.0\/24 overlaps/) }] },
    });
  });

  it('commander itself exits 2 for a missing argument or a missing option value', async () => {
    const engine = new FakeEngine();
    expect((await runWith(engine, 'create', 'nat')).code).toBe(2);
    expect((await runWith(engine, 'create', 'nat', 'x', '--subnet')).code).toBe(2);
    expect(engine.plans).toEqual([]);
  });
});

describe('kvmnet create: planning and running', () => {
  it('--dry-run prints the commands and runs nothing', async () => {
    const engine = new FakeEngine();
    const r = await runWith(engine, 'create', 'hostonly', 'ho', '--backend', 'direct', '--dry-run');
    expect(r.code).toBe(0);
    expect(engine.plans).toEqual([]);
    expect(r.stdout).toContain('ip link add name kv-ho type bridge');
    expect(r.stdout).toContain('ip address add 10.80.1.1/24 dev kv-ho');
    // its only sysctl turns IPv6 off on its own bridge: a host-only network never touches ip_forward
    expect(r.stdout.split('\n').filter((l) => l.includes('sysctl'))).toEqual(['sysctl -w net/ipv6/conf/kv-ho/disable_ipv6=1']);
  });

  it('--proxy-arp on Wi-Fi: a slice of its LAN, proxy_arp on wlan0, the DHCP-pool warning, direct even where libvirt runs', async () => {
    const engine = new FakeEngine();
    engine.outcome = { status: 'done', applied: 11 };
    const r = await runWith(engine, 'create', 'routed', 'wifi', '--uplink', 'wlan0', '--proxy-arp');
    expect(r.code, r.stderr).toBe(0);
    const sysctls = engine.plans[0]!.steps.flatMap((s) => (s.op === 'sysctl.set' ? [`${s.key}=${s.value}`] : []));
    expect(sysctls).toContain('net.ipv4.conf.wlan0.proxy_arp=1');
    expect(r.stderr).toContain("kvmnet: warning: 10.0.5.240/28 must lie outside the DHCP pool of the LAN's router (10.0.5.240–10.0.5.255)");
    expect(r.stdout).toBe('created routed network wifi on bridge kv-wifi (direct): 10.0.5.240/28, gateway 10.0.5.241, DHCP 10.0.5.248-10.0.5.254, uplink wlan0 with proxy ARP (guests reachable from its LAN), starts at boot\n');
  });

  it('--dry-run --json gives the network, the plan and the commands', async () => {
    const engine = new FakeEngine();
    const r = await runWith(engine, 'create', 'nat', 'n1', '--dry-run', '--json', '--no-autostart', '--ipv6');
    const out = JSON.parse(r.stdout) as { network: { backend: string; autostart: boolean; ipv6?: unknown }; plan: { steps: { op: string }[] }; commands: string };
    expect(out.network).toMatchObject({ backend: 'libvirt', autostart: false, ipv6: { dhcp: null } });
    expect(out.plan.steps.map((s) => s.op)).toEqual(['libvirt.define', 'libvirt.start']);
    expect(out.commands).toContain('<network>');
  });

  it('runs the plan it printed, shows progress per step and a summary', async () => {
    const engine = new FakeEngine();
    engine.progress = [
      { index: 0, total: 9, op: 'link.add', status: 'running' },
      { index: 0, total: 9, op: 'link.add', status: 'done' },
    ];
    engine.outcome = { status: 'done', applied: 9 };
    const r = await runWith(engine, 'create', 'nat', 'n1', '--backend', 'direct', '--subnet', '10.80.5.0/24', '--no-dhcp');
    expect(r.code).toBe(0);
    expect(engine.plans).toHaveLength(1);
    expect(engine.plans[0]!.steps.map((s) => s.op)).toEqual(['link.add', 'addr.add', 'sysctl.set', 'link.setState', 'nft.network', 'sysctl.set', 'dnsmasq.start', 'record.write', 'boot.unit']);
    expect(r.stderr).toMatch(/^ {2}done {7}1\/9 create bridge kv-n1$/m);
    expect(r.stdout).toBe('created nat network n1 on bridge kv-n1 (direct): 10.80.5.0/24, gateway 10.80.5.1, no DHCP, starts at boot\n');
  });

  it('exit 1 after a rollback, saying what failed and that the host is as before', async () => {
    const engine = new FakeEngine();
    engine.outcome = { status: 'failed', error: { code: 'APPLY_FAILED', message: 'x', failure: { failedIndex: 6, failedOp: 'dnsmasq.start', reason: 'dnsmasq: address in use', undone: 6, left: [] } } };
    engine.progress = [{ index: 6, total: 9, op: 'dnsmasq.start', status: 'failed', message: 'dnsmasq: address in use' }, { index: 5, total: 9, op: 'sysctl.set', status: 'undone' }];
    const r = await runWith(engine, 'create', 'nat', 'n1', '--backend', 'direct');
    expect(r.code).toBe(ExitCode.Failed);
    expect(r.stderr).toMatch(/FAILED +7\/9 start dnsmasq \(DHCP and DNS\) on kv-n1: dnsmasq: address in use/);
    expect(r.stderr).toMatch(/undone +6\/9 set net\.ipv4\.ip_forward = 1/);
    expect(r.stderr).toContain('kvmnet: step 7/9 (start dnsmasq (DHCP and DNS) on kv-n1) failed: dnsmasq: address in use');
    expect(r.stderr).toContain('kvmnet: rolled back: 6 completed step(s) undone; the host is as it was before');
  });

  it('exit 3 when the rollback is incomplete, listing what is left; --json says the same', async () => {
    const engine = new FakeEngine();
    engine.outcome = { status: 'failed', error: { code: 'ROLLBACK_INCOMPLETE', message: 'x', failure: { failedIndex: 2, failedOp: 'link.setState', reason: 'boom', undone: 1, left: ['bridge kv-n1 still exists'] } } };
    const r = await runWith(engine, 'create', 'nat', 'n1', '--backend', 'direct', '--json');
    expect(r.code).toBe(ExitCode.RollbackIncomplete);
    expect(r.stderr).toContain('  - bridge kv-n1 still exists');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 3, error: { code: 'ROLLBACK_INCOMPLETE' } });
  });

  it('exit 1 with nothing changed when root cannot be had', async () => {
    const engine = new FakeEngine();
    engine.outcome = { status: 'no-root', message: 'The password dialog was closed.' };
    const r = await runWith(engine, 'create', 'nat', 'n1');
    expect(r.code).toBe(ExitCode.Failed);
    expect(r.stderr).toContain('could not get administrator rights: The password dialog was closed.');
    expect(r.stderr).toContain('nothing was changed');
  });
});
