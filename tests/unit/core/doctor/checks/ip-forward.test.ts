import { describe, expect, it } from 'vitest';
import { checkIpForward } from '../../../../../main/core/doctor/checks/ip-forward';
import { directRecord, healthyFacts } from '../doctor-facts-fixture';

describe('ip-forward', () => {
  it('is ok when forwarding is on for running NAT networks', () => {
    expect(checkIpForward(healthyFacts())).toMatchObject({ status: 'ok', summary: 'IP forwarding is on' });
  });

  it('fails when a running NAT network needs it and it is off, with the sysctl as a safe fix', () => {
    const facts = healthyFacts();
    facts.sysctls.ipForward = '0';
    const c = checkIpForward(facts);
    expect(c).toMatchObject({
      status: 'fail',
      fix: { commands: ['sysctl -w net.ipv4.ip_forward=1'], safe: true, undo: 'Turn it off again: sysctl -w net.ipv4.ip_forward=0' },
    });
    expect(c.summary).toContain('the network "lab"');
    expect(c.summary).toContain('the libvirt network "default"');
  });

  it('is ok when it is off but nothing running forwards (stopped or host-only networks)', () => {
    const facts = healthyFacts();
    facts.sysctls.ipForward = '0';
    facts.libvirt.networks = [];
    facts.records = [directRecord('lab', 'kvbr0', '10.80.0.0/24', 'hostonly'), directRecord('stopped', 'kvbr9', '10.99.0.0/24')];
    expect(checkIpForward(facts)).toMatchObject({ status: 'ok', summary: 'IP forwarding is not needed now' });
  });

  it('warns when the sysctl cannot be read', () => {
    const facts = healthyFacts();
    facts.sysctls.ipForward = null;
    expect(checkIpForward(facts).status).toBe('warn');
  });
});
