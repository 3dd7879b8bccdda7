import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DoctorReport, type CheckId, type CheckStatus } from '../../../main/core/doctor/doctor-report';
import { Plan } from '../../../main/helper/protocol';
import type { HostState } from '../../lab/host-state';
import { labUnavailableReason } from '../../lab/lab';
import { networkManagerLabUnavailableReason, startNetworkManager, waitFor } from '../../lab/network-manager';
import { startCliLab, type CliLab } from '../cli/cli-lab';
import { HelperProcess } from '../helper/helper-process';

/**
 * `kvmnet doctor` end to end, with the real CLI bundle inside labs: each fault the issue names is
 * seeded for real, the doctor reports it by id, `--fix --yes` repairs the safe ones through the
 * helper, a second run shows them ok, each fix's undo plan (run through the helper bundle) puts
 * the host back as it was, and `--fix` without a terminal and without --yes changes nothing.
 */

const skip = labUnavailableReason();
if (skip) console.log(`skipped the doctor CLI lab tests: ${skip}`);
const nmSkip = skip ?? networkManagerLabUnavailableReason();
if (!skip && nmSkip) console.log(`skipped the doctor CLI NetworkManager test: ${nmSkip}`);

const FixedReport = DoctorReport.extend({ fixed: z.array(z.object({ id: z.string(), undo: Plan, undoCommands: z.string() })) });

async function doctorJson(cli: CliLab): Promise<DoctorReport> {
  const r = await cli.kvmnet('doctor', '--json');
  expect(r.exitCode, r.stderr).toBe(0);
  return DoctorReport.parse(JSON.parse(r.stdout));
}

const statusOf = (report: DoctorReport, ids: readonly CheckId[]): Record<string, CheckStatus> =>
  Object.fromEntries(ids.map((id) => [id, report.checks.find((c) => c.id === id)!.status]));

/** runs a plan through the helper bundle in the lab, as the app's privilege session would */
async function applyThroughHelper(cli: CliLab, plan: Plan): Promise<void> {
  const helper = HelperProcess.start(cli.lab);
  try {
    const { response } = await helper.apply(plan.steps);
    expect(response, helper.stderr).toMatchObject({ ok: true });
  } finally {
    await helper.close();
  }
}

const macOf = async (cli: CliLab, dev: string): Promise<string> => (JSON.parse(await cli.lab.sh('ip', ['-j', 'link', 'show', 'dev', dev])) as { address: string }[])[0]!.address;

/** no dnsmasq runs: the state a killed one leaves, whatever runtime files it left behind */
const withoutRunFiles = (state: HostState): Omit<HostState, 'runFiles'> => {
  const { runFiles: _runFiles, ...rest } = state;
  return rest;
};

describe.skipIf(skip)('kvmnet doctor in a lab', () => {
  let cli: CliLab;
  let healthy: DoctorReport;
  const SEEDED = ['ip-forward', 'forward-policy-drop', 'duplicate-mac', 'subnet-overlap', 'dnsmasq-running'] as const satisfies readonly CheckId[];
  const SAFE = ['ip-forward', 'duplicate-mac', 'dnsmasq-running'] as const satisfies readonly CheckId[];

  beforeAll(async () => {
    cli = await startCliLab();
    const created = await cli.kvmnet('create', 'nat', 'labnat', '--backend', 'direct', '--subnet', '10.231.0.0/24');
    expect(created.exitCode, created.stderr).toBe(0);
    // two guest taps on the network, as `kvmnet attach` leaves them
    await cli.lab.sh('ip', ['-batch', '-'], {
      input: ['tuntap add dev kvtapa mode tap', 'tuntap add dev kvtapb mode tap', 'link set kvtapa master kv-labnat', 'link set kvtapb master kv-labnat',
        'link set kvtapa alias kvmnet:labnat', 'link set kvtapb alias kvmnet:labnat'].join('\n'),
    });
    await cli.settle();
    healthy = await doctorJson(cli);
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
  });

  it('finds every seeded fault by id, fixes the safe ones through the helper, and each undo restores the host', async () => {
    expect(statusOf(healthy, SEEDED)).toEqual(Object.fromEntries(SEEDED.map((id) => [id, 'ok'])));

    // the faults: forwarding off, a FORWARD drop policy, one MAC on both taps, a new route into the subnet, dnsmasq killed
    await cli.lab.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=0']);
    await cli.lab.sh('nft', ['-f', '-'], { input: 'table ip filter {\n chain FORWARD { type filter hook forward priority 0; policy drop; }\n}\n' });
    await cli.lab.sh('ip', ['link', 'set', 'dev', 'kvtapb', 'address', await macOf(cli, 'kvtapa')]);
    await cli.lab.sh('ip', ['route', 'add', '10.231.0.0/25', 'via', '192.168.50.1', 'dev', 'eth0']);
    const pid = (await cli.lab.sh('cat', ['/run/kvmnet/dnsmasq/labnat.pid'])).trim();
    await cli.lab.sh('kill', ['-KILL', pid]);
    await waitFor('the killed dnsmasq did not go', async () => ((await cli.lab.run('test', ['-e', `/proc/${pid}`])).exitCode !== 0 ? true : undefined), 5000);
    await cli.settle();

    const broken = await doctorJson(cli);
    expect(statusOf(broken, SEEDED)).toEqual(Object.fromEntries(SEEDED.map((id) => [id, 'fail'])));
    const seededState = await cli.state();

    // no terminal, no --yes: the previews are shown, nothing changes, exit 2
    const refused = await cli.kvmnet('doctor', '--fix');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('there is no terminal to ask on, so nothing was changed');
    expect(refused.stderr).toContain('sysctl -w net.ipv4.ip_forward=1');
    expect(await cli.state()).toEqual(seededState);

    // an unknown check id is bad input, and changes nothing either
    const unknown = await cli.kvmnet('doctor', '--fix', 'ip-forwrd', '--yes');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no check is called "ip-forwrd"');
    expect(await cli.state()).toEqual(seededState);

    // on a terminal each fix is asked for: "n" changes nothing, "y" applies that one fix
    const onTerminal = (answer: string, ...args: string[]) =>
      cli.lab.run('script', ['-qec', [process.execPath, cli.cliPath, 'doctor', ...args].join(' '), '/dev/null'], { input: answer });
    const declined = await onTerminal('n\n', '--fix', 'ip-forward');
    expect(declined.exitCode, declined.stdout).toBe(0);
    expect(declined.stdout).toMatch(/Apply the fix for ip-forward\? \[y\/N\]/);
    expect(declined.stdout).toContain('skipped ip-forward');
    expect(await cli.state()).toEqual(seededState);
    const accepted = await onTerminal('y\n', '--fix', 'ip-forward');
    expect(accepted.exitCode, accepted.stdout).toBe(0);
    expect(await cli.lab.sh('sysctl', ['-n', 'net.ipv4.ip_forward'])).toBe('1');
    await cli.lab.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=0']);

    // a fix whose step fails is rolled back by the helper's journal: exit 1, the host as it was
    await cli.lab.sh('sh', ['-c', 'mv /run/kvmnet/dnsmasq /run/kvmnet/dnsmasq.away && touch /run/kvmnet/dnsmasq']);
    const failing = await cli.kvmnet('doctor', '--fix', 'dnsmasq-running', '--yes');
    await cli.lab.sh('sh', ['-c', 'rm /run/kvmnet/dnsmasq && mv /run/kvmnet/dnsmasq.away /run/kvmnet/dnsmasq']);
    expect(failing.exitCode, failing.stderr).toBe(1);
    expect(failing.stderr).toMatch(/^kvmnet: rolled back: \d+ completed step\(s\) undone; the host is as it was before$/m);
    expect(await cli.state()).toEqual(seededState);

    const fixed = await cli.kvmnet('doctor', '--fix', '--yes', '--json');
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    const after = FixedReport.parse(JSON.parse(fixed.stdout));
    expect(after.fixed.map((f) => f.id)).toEqual(SAFE);
    expect(statusOf(after, SAFE)).toEqual(Object.fromEntries(SAFE.map((id) => [id, 'ok'])));
    // Docker-style drops and a clashing route are explained, never touched
    expect(statusOf(after, ['forward-policy-drop', 'subnet-overlap'])).toEqual({ 'forward-policy-drop': 'fail', 'subnet-overlap': 'fail' });
    expect(after.checks.find((c) => c.id === 'forward-policy-drop')!.fix).toMatchObject({ safe: false });
    expect(statusOf(await doctorJson(cli), SAFE)).toEqual(Object.fromEntries(SAFE.map((id) => [id, 'ok'])));
    expect(await cli.lab.sh('sysctl', ['-n', 'net.ipv4.ip_forward'])).toBe('1');
    expect(await macOf(cli, 'kvtapb')).not.toBe(await macOf(cli, 'kvtapa'));
    expect((await cli.state()).dnsmasq).toHaveLength(1);

    // each fix is undone by a plan of its own, newest first, through the helper
    for (const f of [...after.fixed].reverse()) await applyThroughHelper(cli, f.undo);
    await cli.settle();
    const undone = await cli.state();
    expect(withoutRunFiles(undone)).toEqual(withoutRunFiles(seededState));
    // stopping dnsmasq also removes the runtime files a killed one had left behind
    expect(undone.runFiles).not.toContain('labnat.pid');
    expect(statusOf(await doctorJson(cli), SEEDED)).toEqual(Object.fromEntries(SEEDED.map((id) => [id, 'fail'])));
  }, 120_000);
});

describe.skipIf(nmSkip)('kvmnet doctor with NetworkManager in a lab', () => {
  let cli: CliLab;

  beforeAll(async () => {
    cli = await startCliLab();
    const created = await cli.kvmnet('create', 'nat', 'nmnet', '--backend', 'direct', '--subnet', '10.233.0.0/24');
    expect(created.exitCode, created.stderr).toBe(0);
    await cli.lab.sh('ip', ['-batch', '-'], { input: 'tuntap add dev kvtapn mode tap\nlink set kvtapn master kv-nmnet\nlink set kvtapn alias kvmnet:nmnet\nlink set kvtapn up\n' });
    await startNetworkManager(cli.lab, { devices: ['eth0'] });
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
  });

  it('nm-managed-tap: NetworkManager lets go of KVMNet’s links through the helper, and the undo hands them back', async () => {
    const managed = await waitFor('NetworkManager did not pick up kv-nmnet', async () => {
      const report = await doctorJson(cli);
      return report.checks.find((c) => c.id === 'nm-managed-tap')!.status === 'warn' ? report : undefined;
    }, 15_000);
    const check = managed.checks.find((c) => c.id === 'nm-managed-tap')!;
    expect(check.summary).toContain('kv-nmnet');
    expect(check.fix).toMatchObject({ safe: true });
    const before = await cli.state();

    const fixed = await cli.kvmnet('doctor', '--fix', 'nm-managed-tap', '--yes', '--json');
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    const after = FixedReport.parse(JSON.parse(fixed.stdout));
    expect(after.fixed.map((f) => f.id)).toEqual(['nm-managed-tap']);
    expect(statusOf(after, ['nm-managed-tap'])).toEqual({ 'nm-managed-tap': 'ok' });
    expect(after.fixed[0]!.undo.steps.every((s) => s.op === 'nm.managed' && s.managed)).toBe(true);

    await applyThroughHelper(cli, after.fixed[0]!.undo);
    // handed back, NetworkManager manages the links again (as "disconnected": it no longer calls them external), and the fix is offered again
    const again = (await doctorJson(cli)).checks.find((c) => c.id === 'nm-managed-tap')!;
    expect(again).toMatchObject({ status: 'warn', summary: check.summary, fix: { safe: true } });
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  }, 120_000);
});
