import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DoctorFacts } from '../../../main/core/doctor/doctor-facts';
import { DoctorReport, type Check, type CheckId, type CheckStatus } from '../../../main/core/doctor/doctor-report';
import type { NetworkRecord } from '../../../main/core/network/network-record';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startLibvirtd } from '../../lab/libvirtd';
import { toolInstalled } from '../../../main/host/doctor-facts/host-files';

/**
 * The doctor's facts reader and checks, run inside labs on real faults: each test seeds one fault
 * the seeds' users hit, expects its check to report it, applies the fix the doctor prints (run
 * through a shell, as a user would paste it) or undoes the fault, and expects ok again.
 */

const skip = labUnavailableReason();
if (skip) console.log(`skipped doctor lab tests: ${skip}`);
const nmMissing = (await toolInstalled('NetworkManager')) ? undefined : 'NetworkManager is not installed (Debian package network-manager)';
if (!skip && nmMissing) console.log(`skipped the doctor's NetworkManager lab test: ${nmMissing}`);

interface Probe {
  report: DoctorReport;
  facts: DoctorFacts;
}

let bundle: NodeBundle | undefined;
afterAll(async () => {
  await bundle?.remove();
});

async function probe(lab: Lab, as: { user?: string; env?: Record<string, string> } = {}): Promise<Probe> {
  const node = [process.execPath, bundle!.path, '--facts'];
  const [file, ...args] = as.user === undefined ? node : ['setpriv', `--reuid=${as.user}`, `--regid=${as.user}`, '--clear-groups', ...node];
  const r = await lab.run(file!, args, as.env ? { env: as.env } : {});
  if (r.exitCode !== 0) throw new Error(`doctor probe failed (${r.exitCode}): ${r.stderr}`);
  const { report, facts } = JSON.parse(r.stdout) as { report: unknown; facts: unknown };
  return { report: DoctorReport.parse(report), facts: DoctorFacts.parse(facts) };
}

const check = (p: Probe, id: CheckId): Check => p.report.checks.find((c) => c.id === id)!;
const statuses = (p: Probe, ids: readonly CheckId[]): Record<string, CheckStatus> => Object.fromEntries(ids.map((id) => [id, check(p, id).status]));

/** runs the doctor's printed fix exactly as a user pasting it into a shell would */
async function applyFix(lab: Lab, c: Check): Promise<void> {
  expect(c.fix, `${c.id} offers a fix`).toBeDefined();
  for (const command of c.fix!.commands) await lab.sh('sh', ['-c', command]);
}

const record = (name: string, bridge: string, third: number): NetworkRecord => ({
  version: 1,
  spec: {
    name,
    kind: 'nat',
    backend: 'direct',
    bridge,
    ipv4: { subnet: `10.${third}.0.0/24`, gateway: `10.${third}.0.1` },
    dhcp: { start: `10.${third}.0.100`, end: `10.${third}.0.200` },
    autostart: true,
  },
});

/** a running direct network as KVMNet leaves it: its record, and its bridge carrying the owner alias and the gateway */
async function directNetwork(lab: Lab, r: NetworkRecord): Promise<void> {
  const { name, bridge, ipv4 } = r.spec;
  await lab.sh('mkdir', ['-p', '/etc/kvmnet/networks', '/run/kvmnet/dnsmasq']);
  await lab.sh('tee', [`/etc/kvmnet/networks/${name}.json`], { input: JSON.stringify(r) });
  const prefix = ipv4!.subnet.split('/')[1];
  await lab.sh('ip', ['-batch', '-'], {
    input: [`link add ${bridge} type bridge`, `link set ${bridge} alias kvmnet:${name}`, `addr add ${ipv4!.gateway}/${prefix} dev ${bridge}`, `link set ${bridge} up`].join('\n'),
  });
}

/** an uplink (one end of a veth pair) with a default route, so NAT traffic has a way out */
const UPLINK = ['link add kvup0 type veth peer name kvup1', 'link set kvup1 up', 'link set kvup0 up', 'addr add 198.51.100.2/24 dev kvup0', 'route add default via 198.51.100.1 dev kvup0'].join('\n');

async function startDnsmasq(lab: Lab, r: NetworkRecord): Promise<void> {
  const { name, bridge, dhcp } = r.spec;
  await lab.sh('dnsmasq', [
    '--conf-file=/dev/null', `--interface=${bridge}`, '--bind-interfaces', '--except-interface=lo', '--port=0', '--leasefile-ro',
    `--dhcp-range=${dhcp!.start},${dhcp!.end}`, `--pid-file=/run/kvmnet/dnsmasq/${name}.pid`,
  ]);
}

const NETWORK_CHECKS = ['ip-forward', 'forward-policy-drop', 'br-netfilter', 'firewall-backend', 'subnet-overlap', 'duplicate-mac', 'nm-managed-tap', 'dnsmasq-running', 'bridge-wireless-uplink'] as const satisfies readonly CheckId[];
const allOk = Object.fromEntries(NETWORK_CHECKS.map((id) => [id, 'ok']));

describe.skipIf(skip)('network doctor in a lab', () => {
  let lab: Lab;
  const labnat = record('labnat', 'kvnat0', 231);

  beforeAll(async () => {
    [bundle, lab] = await Promise.all([buildNodeBundle('doctor-probe', 'tests/integration/doctor/doctor-probe.ts'), startLab()]);
    await lab.sh('ip', ['-batch', '-'], { input: UPLINK });
    await directNetwork(lab, labnat);
    await lab.sh('ip', ['-batch', '-'], {
      input: ['tuntap add dev kvtapa mode tap', 'tuntap add dev kvtapb mode tap', 'link set kvtapa master kvnat0', 'link set kvtapb master kvnat0', 'link set kvtapa alias kvmnet:labnat', 'link set kvtapb alias kvmnet:labnat'].join('\n'),
    });
    await lab.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    await startDnsmasq(lab, labnat);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('finds a healthy NAT network healthy, reading the lab as it is', async () => {
    const p = await probe(lab);
    expect(statuses(p, NETWORK_CHECKS)).toEqual(allOk);
    expect(p.facts.records.map((r) => r.spec.name)).toEqual(['labnat']);
    expect(p.facts.dnsmasq).toEqual([{ network: 'labnat', pidFile: '/run/kvmnet/dnsmasq/labnat.pid', pid: expect.any(Number), process: 'dnsmasq' }]);
    expect(p.facts.sysctls.ipForward).toBe('1');
    // no libvirtd in this lab: a state with its kind of failure, not an error
    expect(p.facts.libvirt).toMatchObject({ reachable: false, failure: 'not-running' });
    expect(check(p, 'libvirt-reachable').status).toBe('warn');
  });

  it('ip-forward: fails while forwarding is off, and its fix turns it on', async () => {
    await lab.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=0']);
    const broken = await probe(lab);
    expect(check(broken, 'ip-forward')).toMatchObject({ status: 'fail', fix: { commands: ['sysctl -w net.ipv4.ip_forward=1'], safe: true } });
    expect(check(broken, 'ip-forward').summary).toContain('"labnat"');
    await applyFix(lab, check(broken, 'ip-forward'));
    expect(await lab.sh('sysctl', ['-n', 'net.ipv4.ip_forward'])).toBe('1');
    expect(statuses(await probe(lab), NETWORK_CHECKS)).toEqual(allOk);
  });

  it('forward-policy-drop and br-netfilter: a forward chain with policy drop blocks the network until the accept rules go in', async () => {
    await lab.sh('nft', ['-f', '-'], { input: 'table ip filter {\n chain forward { type filter hook forward priority 0; policy drop; }\n}\n' });
    const broken = await probe(lab);
    const drop = check(broken, 'forward-policy-drop');
    expect(drop.status).toBe('fail');
    expect(drop.detail).toContain('the drop policy of chain forward in table ip filter');
    expect(drop.fix?.commands).toEqual([
      `nft insert rule ip filter forward iifname '"kvnat0"' accept`,
      `nft insert rule ip filter forward oifname '"kvnat0"' ct state established,related accept`,
    ]);
    // br_netfilter's sysctls live in each network namespace only when the module is loaded on the machine
    const bridged = broken.facts.sysctls.bridgeNfCallIptables;
    if (bridged === null) console.log('br_netfilter is not loaded on this machine: bridged traffic skips the firewall, br-netfilter must say ok');
    expect(check(broken, 'br-netfilter').status).toBe(bridged === '1' ? 'fail' : 'ok');

    await applyFix(lab, drop);
    const fixed = await probe(lab);
    expect(statuses(fixed, NETWORK_CHECKS)).toEqual(allOk);
    await lab.sh('nft', ['delete', 'table', 'ip', 'filter']);
  });

  it('duplicate-mac: two taps with one MAC fail until the fix gives the second its own', async () => {
    const macOf = async (dev: string) => (JSON.parse(await lab.sh('ip', ['-j', 'link', 'show', 'dev', dev])) as { address: string }[])[0]!.address;
    const mac = await macOf('kvtapa');
    await lab.sh('ip', ['link', 'set', 'dev', 'kvtapb', 'address', mac]);
    const broken = await probe(lab);
    const dup = check(broken, 'duplicate-mac');
    expect(dup).toMatchObject({ status: 'fail', summary: `Tap kvtapa and tap kvtapb share the MAC ${mac}`, fix: { safe: true } });
    await applyFix(lab, dup);
    expect(await macOf('kvtapb')).not.toBe(mac);
    expect(statuses(await probe(lab), NETWORK_CHECKS)).toEqual(allOk);
  });

  it('subnet-overlap: a host route into the network’s subnet fails until it goes', async () => {
    await lab.sh('ip', ['route', 'add', '10.231.0.0/25', 'via', '198.51.100.1', 'dev', 'kvup0']);
    const broken = await probe(lab);
    expect(check(broken, 'subnet-overlap')).toMatchObject({ status: 'fail', summary: 'The network "labnat" (10.231.0.0/24) overlaps the host route 10.231.0.0/25 on kvup0' });
    await lab.sh('ip', ['route', 'del', '10.231.0.0/25']);
    expect(statuses(await probe(lab), NETWORK_CHECKS)).toEqual(allOk);
  });

  it('as an ordinary user: says the firewall needs root, and judges devices for that user', async () => {
    await chmod(dirname(bundle!.path), 0o755);
    const p = await probe(lab, { user: '65534' });
    expect(p.facts).toMatchObject({ root: false, user: { uid: 65534 }, firewall: { nft: { available: false, reason: 'reading the firewall needs root: run sudo kvmnet doctor' } } });
    expect(check(p, 'forward-policy-drop')).toMatchObject({ status: 'warn', summary: 'The firewall could not be read' });
    // /dev/kvm is root:kvm 0660 wherever it exists
    if (p.facts.devices.kvm.exists) expect(check(p, 'kvm-device')).toMatchObject({ status: 'fail', summary: 'nobody cannot use /dev/kvm' });
    else console.log('no /dev/kvm on this machine: kvm-device is judged on the CPU flags instead');
  });

  it('under sudo: reads the firewall as root but judges devices for the user who asked', async () => {
    const p = await probe(lab, { env: { SUDO_UID: '65534', SUDO_USER: 'nobody' } });
    expect(p.facts).toMatchObject({ root: true, user: { name: 'nobody', uid: 65534, gids: [65534] }, firewall: { nft: { available: true } } });
    expect(check(p, 'forward-policy-drop').status).toBe('ok');
  });

  it('dnsmasq-running: a pid file left by a killed dnsmasq fails until dnsmasq runs again', async () => {
    const pidFile = '/run/kvmnet/dnsmasq/labnat.pid';
    const pid = (await lab.sh('cat', [pidFile])).trim();
    await lab.sh('kill', ['-KILL', pid]);
    // the lab's init reaps it; wait until the pid is gone
    for (let i = 0; i < 100 && (await lab.run('test', ['-e', `/proc/${pid}`])).exitCode === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const broken = await probe(lab);
    expect(broken.facts.dnsmasq).toEqual([{ network: 'labnat', pidFile, pid: Number(pid), process: null }]);
    expect(check(broken, 'dnsmasq-running')).toMatchObject({ status: 'fail', detail: expect.stringContaining(`its dnsmasq (pid ${pid}) has exited`) });
    await startDnsmasq(lab, labnat);
    expect(statuses(await probe(lab), NETWORK_CHECKS)).toEqual(allOk);
  });
});

describe.skipIf(skip)('network doctor with Docker and libvirt in a lab', () => {
  let lab: Lab;
  const kvdock = record('kvdock', 'kvdock0', 234);

  beforeAll(async () => {
    [bundle, lab] = await Promise.all([bundle ?? buildNodeBundle('doctor-probe', 'tests/integration/doctor/doctor-probe.ts'), startLab()]);
    await lab.sh('ip', ['-batch', '-'], { input: UPLINK });
    await startLibvirtd(lab);
    const xml = `<network><name>labvirt</name><forward mode='nat'/><bridge name='kvvirt0'/><ip address='10.232.0.1' netmask='255.255.255.0'><dhcp><range start='10.232.0.100' end='10.232.0.200'/></dhcp></ip></network>`;
    await lab.sh('tee', ['/tmp/labvirt.xml'], { input: xml });
    await lab.sh('virsh', ['-c', 'qemu:///system', 'net-define', '/tmp/labvirt.xml']);
    await lab.sh('virsh', ['-c', 'qemu:///system', 'net-start', 'labvirt']);
    await directNetwork(lab, kvdock);
    await startDnsmasq(lab, kvdock);
    // Docker 24–27 as it sets itself up after libvirt: jumps to its chains first, FORWARD policy drop
    await lab.sh('iptables-restore', ['--noflush'], {
      input: [
        '*filter', ':FORWARD DROP [0:0]', ':DOCKER - [0:0]', ':DOCKER-ISOLATION-STAGE-1 - [0:0]', ':DOCKER-ISOLATION-STAGE-2 - [0:0]', ':DOCKER-USER - [0:0]',
        '-I FORWARD 1 -j DOCKER-USER', '-I FORWARD 2 -j DOCKER-ISOLATION-STAGE-1',
        '-I FORWARD 3 -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-I FORWARD 4 -o docker0 -j DOCKER',
        '-I FORWARD 5 -i docker0 ! -o docker0 -j ACCEPT', '-I FORWARD 6 -i docker0 -o docker0 -j ACCEPT',
        '-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2', '-A DOCKER-ISOLATION-STAGE-1 -j RETURN',
        '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP', '-A DOCKER-ISOLATION-STAGE-2 -j RETURN', '-A DOCKER-USER -j RETURN', 'COMMIT', '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('reads libvirt networks with their subnets, and blames Docker’s FORWARD drop for KVMNet’s network only', async () => {
    const p = await probe(lab);
    expect(check(p, 'libvirt-reachable').status).toBe('ok');
    expect(p.facts.libvirt.networks).toEqual([
      { name: 'labvirt', active: true, managedByKvmnet: false, forwardMode: 'nat', bridge: 'kvvirt0', subnets: ['10.232.0.0/24'], dhcp: true },
    ]);
    const drop = check(p, 'forward-policy-drop');
    expect(drop.status).toBe('fail');
    expect(drop.summary).toBe('The firewall drops the traffic of the network "kvdock"');
    expect(drop.detail).toContain('the drop policy of chain FORWARD in table ip filter');
    expect(drop.fix).toMatchObject({
      commands: ['iptables -I DOCKER-USER -i kvdock0 -j ACCEPT', 'iptables -I DOCKER-USER -o kvdock0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
      safe: false,
    });
    await applyFix(lab, drop);
    const fixed = await probe(lab);
    expect(check(fixed, 'forward-policy-drop').status).toBe('ok');
    expect(statuses(fixed, ['ip-forward', 'subnet-overlap', 'dnsmasq-running', 'firewall-backend'])).toEqual({ 'ip-forward': 'ok', 'subnet-overlap': 'ok', 'dnsmasq-running': 'ok', 'firewall-backend': 'ok' });
  });
});

describe.skipIf(skip || nmMissing)('network doctor with NetworkManager in a lab', () => {
  let lab: Lab;
  const nmnet = record('nmnet', 'kvnm0', 233);

  beforeAll(async () => {
    [bundle, lab] = await Promise.all([bundle ?? buildNodeBundle('doctor-probe', 'tests/integration/doctor/doctor-probe.ts'), startLab()]);
    // NetworkManager needs a system bus and udevd (without udevd it leaves every device unmanaged)
    await lab.sh('mkdir', ['-p', '/run/dbus', '/etc/NetworkManager/system-connections', '/var/lib/NetworkManager']);
    await lab.sh('dbus-daemon', ['--system', '--fork', '--nopidfile']);
    await lab.sh('/lib/systemd/systemd-udevd', ['--daemon']);
    await lab.sh('tee', ['/tmp/nm.conf'], { input: '[main]\nplugins=keyfile\nno-auto-default=*\n[logging]\nlevel=WARN\n' });
    void lab.spawn('NetworkManager', ['--no-daemon', '--config=/tmp/nm.conf'], { reject: false, stdio: 'ignore' });
    await directNetwork(lab, nmnet);
    await lab.sh('udevadm', ['trigger', '--action=add', '--subsystem-match=net']);
    await lab.sh('udevadm', ['settle', '-t', '5']);
    await waitForNm(lab, 'kvnm0', /^connected \(externally\)$/);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('warns while NetworkManager watches KVMNet’s bridge, fails when a profile holds it, and the fix lets go', async () => {
    const watched = await probe(lab);
    expect(check(watched, 'nm-managed-tap')).toMatchObject({ status: 'warn', fix: { commands: ['nmcli device set kvnm0 managed no'], safe: true } });
    await applyFix(lab, check(watched, 'nm-managed-tap'));
    expect(check(await probe(lab), 'nm-managed-tap').status).toBe('ok');

    await lab.sh('nmcli', ['device', 'set', 'kvnm0', 'managed', 'yes']);
    await lab.sh('nmcli', ['connection', 'add', 'type', 'bridge', 'ifname', 'kvnm0', 'con-name', 'kvnm0', 'ipv4.method', 'manual', 'ipv4.addresses', '10.233.0.1/24', 'ipv6.method', 'disabled', 'bridge.stp', 'no']);
    await waitForNm(lab, 'kvnm0', /^connected$/);
    const held = await probe(lab);
    expect(check(held, 'nm-managed-tap')).toMatchObject({ status: 'fail', summary: 'NetworkManager manages kvnm0', fix: { safe: false } });
    await applyFix(lab, check(held, 'nm-managed-tap'));
    expect(check(await probe(lab), 'nm-managed-tap').status).toBe('ok');
  });
});

async function waitForNm(lab: Lab, device: string, state: RegExp): Promise<void> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    const r = await lab.run('nmcli', ['-t', '-f', 'DEVICE,STATE', 'device']);
    last = r.stdout + r.stderr;
    const line = r.stdout.split('\n').find((l) => l.startsWith(`${device}:`));
    if (line && state.test(line.slice(device.length + 1))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`NetworkManager did not report ${device} as ${state}: ${last}`);
}
