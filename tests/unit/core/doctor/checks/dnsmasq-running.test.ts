import { describe, expect, it } from 'vitest';
import { checkDnsmasqRunning } from '../../../../../main/core/doctor/checks/dnsmasq-running';
import { directRecord, healthyFacts } from '../doctor-facts-fixture';

describe('dnsmasq-running', () => {
  it('is ok when the running direct network’s dnsmasq runs', () => {
    expect(checkDnsmasqRunning(healthyFacts())).toMatchObject({ status: 'ok', summary: 'dnsmasq runs for every network' });
  });

  it('fails when the pid file names a process that is gone', () => {
    const facts = healthyFacts();
    facts.dnsmasq[0] = { ...facts.dnsmasq[0]!, process: null };
    const c = checkDnsmasqRunning(facts);
    expect(c).toMatchObject({ status: 'fail', summary: 'No DHCP or DNS on "lab"', fix: { commands: ['kvmnet doctor --fix dnsmasq-running'], safe: true } });
    expect(c.detail).toContain('its dnsmasq (pid 4242) has exited');
  });

  it('fails when the pid was reused by another program, or there is no pid file', () => {
    const facts = healthyFacts();
    facts.dnsmasq[0] = { ...facts.dnsmasq[0]!, process: 'firefox' };
    expect(checkDnsmasqRunning(facts).detail).toContain('which is now "firefox", not dnsmasq');
    facts.dnsmasq[0] = { ...facts.dnsmasq[0]!, pid: null, process: null };
    expect(checkDnsmasqRunning(facts).detail).toContain('no dnsmasq was started for it (no pid in /run/kvmnet/dnsmasq/lab.pid)');
  });

  it('is ok for stopped and isolated networks, which run no dnsmasq', () => {
    const facts = healthyFacts();
    facts.records = [directRecord('stopped', 'kvbr9', '10.99.0.0/24'), directRecord('lab', 'kvbr0', '10.80.0.0/24', 'isolated')];
    facts.dnsmasq = [];
    expect(checkDnsmasqRunning(facts)).toMatchObject({ status: 'ok', summary: 'No running network needs KVMNet’s dnsmasq' });
  });
});
