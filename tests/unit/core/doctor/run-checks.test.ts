import { describe, expect, it } from 'vitest';
import { DoctorFacts } from '../../../../main/core/doctor/doctor-facts';
import { CHECK_IDS, DoctorReport } from '../../../../main/core/doctor/doctor-report';
import { runChecks } from '../../../../main/core/doctor/run-checks';
import { dropPolicyForward, healthyFacts } from './doctor-facts-fixture';

describe('runChecks', () => {
  it('reports every check once, in the fixed order, in the --json shape', () => {
    const facts = DoctorFacts.parse(healthyFacts());
    const report = runChecks(facts);
    expect(DoctorReport.parse(report)).toEqual(report);
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('gives every failing or warning check a detail, and every fix its commands and undo', () => {
    const facts = healthyFacts();
    facts.sysctls = { ipForward: '0', bridgeNfCallIptables: '1', bridgeNfCallIp6tables: '1', bridgeNfCallArptables: '1' };
    facts.firewall.nft = { available: true, tables: [{ family: 'ip', name: 'filter' }], chains: [dropPolicyForward()] };
    facts.devices.vhostNet = { path: '/dev/vhost-net', exists: false };
    const report = runChecks(facts);
    const flagged = report.checks.filter((c) => c.status !== 'ok').map((c) => [c.id, c.status]);
    expect(flagged).toEqual([['vhost-net', 'warn'], ['ip-forward', 'fail'], ['forward-policy-drop', 'fail'], ['br-netfilter', 'fail']]);
    for (const c of report.checks) {
      expect(c.detail.length).toBeGreaterThan(20);
      if (c.fix) expect(c.fix.commands.length).toBeGreaterThan(0);
    }
  });
});
