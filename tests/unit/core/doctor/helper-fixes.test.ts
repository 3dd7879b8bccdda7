import { describe, expect, it } from 'vitest';
import { stableTapMac } from '../../../../main/core/doctor/checks/duplicate-mac';
import { helperFixes } from '../../../../main/core/doctor/helper-fixes';
import { runChecks } from '../../../../main/core/doctor/run-checks';
import type { DoctorFacts } from '../../../../main/core/doctor/doctor-facts';
import { Plan } from '../../../../main/helper/protocol';
import { dropPolicyForward, healthyFacts, link } from './doctor-facts-fixture';

const fixesOf = (facts: DoctorFacts) => helperFixes(runChecks(facts), facts);

describe('the doctor’s helper fixes', () => {
  it('offers none on a healthy host', () => {
    expect(fixesOf(healthyFacts())).toEqual([]);
  });

  it('ip-forward: one sysctl step, undone by setting the value it found', () => {
    const facts = healthyFacts();
    facts.sysctls.ipForward = '0';
    const [fix] = fixesOf(facts);
    expect(fix).toMatchObject({
      id: 'ip-forward',
      plan: { steps: [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }] },
      undo: { steps: [{ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '0' }] },
    });
    expect(fix!.commands).toContain('sysctl -w net.ipv4.ip_forward=1');
    expect(fix!.undoCommands).toContain('sysctl -w net.ipv4.ip_forward=0');
    // what the helper parses: every plan and undo is a valid request
    expect(Plan.safeParse(fix!.plan).success && Plan.safeParse(fix!.undo).success).toBe(true);
  });

  it('dnsmasq-running: starts the network’s own dnsmasq from its record, undone by stopping it', () => {
    const facts = healthyFacts();
    facts.dnsmasq = [{ network: 'lab', pidFile: '/run/kvmnet/dnsmasq/lab.pid', pid: 4242, process: null }];
    const [fix] = fixesOf(facts);
    expect(fix).toMatchObject({ id: 'dnsmasq-running', plan: { steps: [{ op: 'dnsmasq.start', spec: facts.records[0]!.spec }] }, undo: { steps: [{ op: 'dnsmasq.stop', network: 'lab' }] } });
  });

  it('duplicate-mac: a new address for KVMNet’s tap, none for a tap KVMNet does not own', () => {
    const owned = healthyFacts();
    owned.snapshot.links.push(link('kvtap1', 'tap', [], { master: 'kvbr0', owner: 'lab', mac: '02:4b:00:00:00:02' }));
    expect(fixesOf(owned)).toMatchObject([{
      id: 'duplicate-mac',
      plan: { steps: [{ op: 'link.setAddress', name: 'kvtap1', mac: stableTapMac('kvtap1') }] },
      undo: { steps: [{ op: 'link.setAddress', name: 'kvtap1', mac: '02:4b:00:00:00:02' }] },
    }]);
    const foreign = healthyFacts();
    foreign.snapshot.links.push(link('tap7', 'tap', [], { master: 'kvbr0', mac: '02:4b:00:00:00:02' }));
    expect(fixesOf(foreign)).toEqual([]);
  });

  it('nm-managed-tap: lets go of links NetworkManager only watches, not of one it holds with a profile', () => {
    const watched = healthyFacts();
    watched.networkManager = { available: true, devices: [{ device: 'kvtap0', state: 'connected (externally)', connection: 'kvtap0' }] };
    expect(fixesOf(watched)).toMatchObject([{ id: 'nm-managed-tap', plan: { steps: [{ op: 'nm.managed', device: 'kvtap0', managed: false }] }, undo: { steps: [{ op: 'nm.managed', device: 'kvtap0', managed: true }] } }]);
    const held = healthyFacts();
    held.networkManager = { available: true, devices: [{ device: 'kvbr0', state: 'connected', connection: 'kvbr0' }] };
    expect(fixesOf(held)).toEqual([]);
  });

  it('never turns an unsafe fix (another program’s firewall) into helper steps', () => {
    const facts = healthyFacts();
    facts.firewall.nft = { available: true, tables: [{ family: 'ip', name: 'filter' }], chains: [dropPolicyForward()] };
    const report = runChecks(facts);
    expect(report.checks.find((c) => c.id === 'forward-policy-drop')).toMatchObject({ status: 'fail', fix: { safe: false } });
    expect(helperFixes(report, facts)).toEqual([]);
  });
});
