import { describe, expect, it } from 'vitest';
import type { ListeningSocket } from '../../../../main/core/attach/listening-sockets';
import {
  parsePortForwardText, validatePortForward, type PortForward, type PortForwardContext,
} from '../../../../main/core/attach/port-forward';
import { labSpec } from '../network/host-fixture';

const web: PortForward = { network: 'lab', proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.80.0.5', port: { start: 80, end: 80 } } };

const context = (over: Partial<PortForwardContext> = {}): PortForwardContext => ({
  network: labSpec,
  existing: [],
  listening: [],
  ...over,
});

const messages = (input: unknown, ctx = context()) => validatePortForward(input, ctx).map((i) => `${i.field}: ${i.message}`);

describe('validatePortForward', () => {
  it('accepts a forward to a guest of the network', () => {
    expect(validatePortForward(web, context())).toEqual([]);
    expect(validatePortForward({ ...web, proto: 'udp', hostPort: { start: 5000, end: 5009 }, to: { ip: '10.80.0.254', port: { start: 6000, end: 6009 } }, hostIp: '192.168.1.23' }, context({ hostAddresses: ['192.168.1.23'] }))).toEqual([]);
  });

  it.each([
    [{ hostPort: { start: 0, end: 0 } }, 'hostPort: --host-port: port 0 is below 1; use 1–65535'],
    [{ hostPort: { start: 8080, end: 70000 } }, 'hostPort: --host-port: port 70000 is above 65535, the largest port there is; use 1–65535'],
    [{ hostPort: { start: 80.5, end: 81 } }, 'hostPort: --host-port: must be a whole port number from 1 to 65535'],
    [{ hostPort: { start: 8090, end: 8080 } }, 'hostPort: --host-port: range 8090-8080 is reversed; write the smaller port first: 8080-8090'],
    [{ proto: 'sctp' }, 'proto: --proto: must be tcp or udp'],
    [{ to: { ip: '10.80.0', port: { start: 80, end: 80 } } }, 'to: --to: "10.80.0" is not an IPv4 address; write it like 10.80.0.1'],
    [{ to: { ip: '10.80.0.5' } }, 'to: --to is missing; add it'],
    [{ hostIp: 'localhost' }, 'hostIp: --host-ip: "localhost" is not an IPv4 address; write it like 10.80.0.1'],
    [{ network: undefined }, 'network: --network is missing; add it'],
    [{ colour: 'red' }, 'colour: colour: not a port forward setting; remove it (check its spelling)'],
  ])('refuses bad fields: %j', (change, message) => {
    expect(messages({ ...web, ...change })).toEqual([message]);
  });

  it('refuses what is not an object', () => {
    expect(messages('8080:80')).toEqual([': a port forward must be an object {network, proto, hostPort, to: {ip, port}, hostIp?}']);
  });

  it('wants ranges of one length', () => {
    expect(messages({ ...web, hostPort: { start: 8000, end: 8009 }, to: { ip: '10.80.0.5', port: { start: 80, end: 85 } } })).toEqual([
      'to: --to port range 80-85 has 6 ports but --host-port 8000-8009 has 10; give ranges of one length, e.g. 10.80.0.5:80-89',
    ]);
  });

  it.each([
    ['10.9.0.5', '--to 10.9.0.5 is outside network lab (10.80.0.0/24); give a guest\'s address in 10.80.0.2–10.80.0.254'],
    ['10.80.0.0', '--to 10.80.0.0 is the network address of 10.80.0.0/24, which no guest has; give a guest\'s address in 10.80.0.2–10.80.0.254'],
    ['10.80.0.255', '--to 10.80.0.255 is the broadcast address of 10.80.0.0/24, which no guest has; give a guest\'s address in 10.80.0.2–10.80.0.254'],
    ['10.80.0.1', '--to 10.80.0.1 is the gateway of network lab, the host itself; give a guest\'s address in 10.80.0.2–10.80.0.254'],
  ])('refuses target %s', (ip, message) => {
    expect(validatePortForward({ ...web, to: { ...web.to, ip } }, context())).toEqual([{ field: 'to', message }]);
  });

  it('leaves a gateway at the top of the subnet out of the suggested range', () => {
    const network = { name: 'top', ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.254' } };
    expect(messages({ ...web, network: 'top' }, context({ network }))).toEqual([
      "to: --to 10.80.0.5 is outside network top (10.81.0.0/24); give a guest's address in 10.81.0.1–10.81.0.253",
    ]);
  });

  it('refuses a network without IPv4', () => {
    const isolated = { name: 'quiet', ipv4: null };
    expect(messages({ ...web, network: 'quiet' }, context({ network: isolated }))).toEqual([
      'to: --to cannot reach network quiet: it has no IPv4 subnet (an isolated network), so the host cannot reach its guests; forward to a nat, routed or host-only network',
    ]);
  });

  it('catches a caller checking against the wrong network', () => {
    expect(messages({ ...web, network: 'other' })[0]).toMatch(/^network: --network other does not match the network checked against \(lab\)/);
  });

  describe('host ports already taken', () => {
    const existing: PortForward[] = [
      { ...web, hostPort: { start: 8080, end: 8082 }, to: { ip: '10.80.0.7', port: { start: 80, end: 82 } } },
      { ...web, proto: 'tcp', hostPort: { start: 9000, end: 9000 }, hostIp: '192.168.1.23', to: { ip: '10.80.0.8', port: { start: 22, end: 22 } } },
    ];

    it('by another forward on any address: names it and the next free port', () => {
      expect(validatePortForward({ ...web, hostPort: { start: 8081, end: 8081 } }, context({ existing }))).toEqual([{
        field: 'hostPort',
        message: '--host-port 8081 (tcp) is already forwarded to 10.80.0.7:80-82 on network lab; pick another, e.g. --host-port 8083',
      }]);
    });

    it('counts overlapping ranges and suggests a free range of the same length', () => {
      const forward = { ...web, hostPort: { start: 8075, end: 8080 }, to: { ip: '10.80.0.5', port: { start: 75, end: 80 } } };
      expect(messages(forward, context({ existing }))).toEqual([
        'hostPort: --host-port 8075-8080 (tcp) is already forwarded to 10.80.0.7:80-82 on network lab; pick another, e.g. --host-port 8083-8088',
      ]);
    });

    it('by a forward on one host address, when this one takes every address', () => {
      expect(messages({ ...web, hostPort: { start: 9000, end: 9000 } }, context({ existing }))[0]).toMatch(/9000 \(tcp\) is already forwarded on 192\.168\.1\.23 to 10\.80\.0\.8:22/);
    });

    it('not by a forward of the other protocol or on another host address', () => {
      expect(validatePortForward({ ...web, proto: 'udp', hostPort: { start: 8080, end: 8080 } }, context({ existing }))).toEqual([]);
      expect(validatePortForward({ ...web, hostPort: { start: 9000, end: 9000 }, hostIp: '10.0.5.7' }, context({ existing }))).toEqual([]);
    });
  });

  describe('host ports a service listens on', () => {
    const listening: ListeningSocket[] = [
      { proto: 'tcp', address: '0.0.0.0', port: 22 },
      { proto: 'tcp', address: '127.0.0.1', port: 631 },
      { proto: 'udp', address: '192.168.1.23', port: 5353 },
      { proto: 'tcp', address: '::', port: 8080 },
    ];
    const ctx = context({ listening, hostAddresses: ['127.0.0.1', '192.168.1.23', '10.0.5.7', 'fe80::1'] });

    it('refuses a port a wildcard listener holds, with both ways out', () => {
      expect(messages({ ...web, hostPort: { start: 20, end: 25 }, to: { ip: '10.80.0.5', port: { start: 20, end: 25 } } }, ctx)).toEqual([
        'hostPort: --host-port 20-25 (tcp) is where a service on this host listens (0.0.0.0:22), and the forward would take its connections; pick another, e.g. --host-port 23-28, or stop that service',
      ]);
      expect(messages(web, ctx)[0]).toMatch(/listens \(\[::\]:8080\).*e\.g\. --host-port 8081, or stop that service$/);
    });

    it('leaves loopback-only listeners alone', () => {
      expect(validatePortForward({ ...web, hostPort: { start: 631, end: 631 } }, ctx)).toEqual([]);
    });

    it('compares a listener on one address with the forward\'s host address', () => {
      const dns = { ...web, proto: 'udp', hostPort: { start: 5353, end: 5353 } };
      expect(messages(dns, ctx)[0]).toMatch(/5353 \(udp\) is where a service on this host listens \(192\.168\.1\.23:5353\)/);
      expect(messages({ ...dns, hostIp: '192.168.1.23' }, ctx)).toHaveLength(1);
      expect(validatePortForward({ ...dns, hostIp: '10.0.5.7' }, ctx)).toEqual([]);
    });
  });

  describe('host address', () => {
    const ctx = context({ hostAddresses: ['127.0.0.1', '192.168.1.23', '10.0.5.7', 'fe80::1'] });

    it('must be the host\'s own, listing the choices', () => {
      expect(messages({ ...web, hostIp: '192.168.1.99' }, ctx)).toEqual([
        'hostIp: --host-ip 192.168.1.99 is not an address of this host; use one of 192.168.1.23, 10.0.5.7, or leave it out to forward on every address of the host',
      ]);
    });

    it('cannot be loopback', () => {
      expect(messages({ ...web, hostIp: '127.0.0.1' }, ctx)[0]).toMatch(/^hostIp: --host-ip 127\.0\.0\.1 is a loopback address; .*leave it out to forward on every address/);
    });

    it('is not checked against the host when the caller has no addresses', () => {
      expect(validatePortForward({ ...web, hostIp: '192.168.1.99' }, context())).toEqual([]);
    });
  });

  it('names fields as a form does when given labels', () => {
    const issues = validatePortForward({ ...web, to: { ...web.to, ip: '10.80.0.1' } }, context(), { to: 'Guest address' });
    expect(issues[0]?.message).toMatch(/^Guest address 10\.80\.0\.1 is the gateway/);
  });

  it('reports every independent problem at once', () => {
    const existing = [web];
    const bad = { ...web, hostPort: { start: 8080, end: 8081 }, to: { ip: '10.80.0.1', port: { start: 80, end: 80 } } };
    expect(validatePortForward(bad, context({ existing })).map((i) => i.field)).toEqual(['to', 'to', 'hostPort']);
  });
});

describe('parsePortForwardText', () => {
  const text = { network: 'lab', proto: 'tcp', hostPort: '8080', to: '10.80.0.5:80' };

  it('reads single ports, ranges and a target without a port', () => {
    expect(parsePortForwardText(text)).toEqual({ ok: true, forward: web });
    expect(parsePortForwardText({ ...text, proto: 'UDP', hostPort: '8000-8009', to: '10.80.0.5:9000-9009', hostIp: '192.168.1.23' })).toEqual({
      ok: true,
      forward: { network: 'lab', proto: 'udp', hostPort: { start: 8000, end: 8009 }, to: { ip: '10.80.0.5', port: { start: 9000, end: 9009 } }, hostIp: '192.168.1.23' },
    });
    expect(parsePortForwardText({ ...text, to: '10.80.0.5' })).toEqual({ ok: true, forward: { ...web, to: { ip: '10.80.0.5', port: { start: 8080, end: 8080 } } } });
  });

  it.each([
    [{ hostPort: 'http' }, 'hostPort', '--host-port "http" is not a port or range; write a port such as 8080 or a range such as 8000-8010 (ports 1–65535)'],
    [{ to: 'web:80' }, 'to', '--to "web:80" is not a guest address; write IP:PORT such as 10.80.0.5:80, IP:N-M for a range, or just IP to keep the host\'s port'],
    [{ to: '10.80.0.5:eighty' }, 'to', '--to "10.80.0.5:eighty" is not a guest address; write IP:PORT such as 10.80.0.5:80, IP:N-M for a range, or just IP to keep the host\'s port'],
    [{ hostPort: '99999' }, 'hostPort', '--host-port: port 99999 is above 65535, the largest port there is; use 1–65535'],
    [{ hostPort: '90-80', to: '10.80.0.5' }, 'hostPort', '--host-port: range 90-80 is reversed; write the smaller port first: 80-90'],
    [{ proto: 'icmp' }, 'proto', '--proto: must be tcp or udp'],
  ])('explains %j', (change, field, message) => {
    expect(parsePortForwardText({ ...text, ...change })).toEqual({ ok: false, issues: [{ field, message }] });
  });
});
