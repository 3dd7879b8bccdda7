import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListeningSockets, type ListeningSocket } from '../../../main/core/attach/listening-sockets';
import { validatePortForward, type PortForward } from '../../../main/core/attach/port-forward';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { inCi, missingToolsReason } from './required-tools';

/**
 * What the CLI will do before a forward: read the host's listeners with the real `ss -H -ltnu`
 * and refuse ports a service holds. The services here are real ones inside a lab: busybox httpd
 * on every address and on loopback only, dnsmasq (UDP and TCP) on one address.
 */

const labSkip = labUnavailableReason();
const tools = missingToolsReason([['ss', 'iproute2'], ['busybox', 'busybox-static'], ['dnsmasq', 'dnsmasq-base']]);
const skip = labSkip ?? tools;
if (skip) console.log(`skipped listening-socket tests: ${skip}`);

describe.skipIf(tools !== undefined && !inCi)('tools for listening-socket tests', () => {
  it('are installed (CI installs them, so there a missing one is a failure)', () => {
    expect(tools).toBeUndefined();
  });
});

describe.skipIf(skip)('listeners read from ss, checked against forwards', () => {
  let lab: Lab;
  let listening: ListeningSocket[];

  const wanted = (sockets: ListeningSocket[]) =>
    // busybox httpd binds a dual-stack socket, which ss shows as *
    ['tcp *:8080', 'tcp 127.0.0.1:8081', 'udp 10.99.0.1:5353', 'tcp 10.99.0.1:5353'].every((s) =>
      sockets.some((x) => `${x.proto} ${x.address}:${x.port}` === s));

  beforeAll(async () => {
    lab = await startLab();
    await lab.sh('ip', ['link', 'add', 'kvbr0', 'type', 'bridge']);
    await lab.sh('ip', ['addr', 'add', '10.99.0.1/24', 'dev', 'kvbr0']);
    await lab.sh('ip', ['link', 'set', 'kvbr0', 'up']);
    void lab.spawn('busybox', ['httpd', '-f', '-p', '8080'], { reject: false });
    void lab.spawn('busybox', ['httpd', '-f', '-p', '127.0.0.1:8081'], { reject: false });
    void lab.spawn('dnsmasq', ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces',
      '--listen-address=10.99.0.1', '--except-interface=lo', '--port=5353', '--pid-file=', '--user=root'], { reject: false });
    for (let i = 0; i < 100; i++) {
      listening = parseListeningSockets(await lab.sh('ss', ['-H', '-ltnu']));
      if (wanted(listening)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`listeners did not come up: ${JSON.stringify(listening)}`);
  });
  afterAll(async () => { await lab?.close(); });

  it('reads every listener the lab runs', () => {
    expect(wanted(listening)).toBe(true);
  });

  const network = { name: 'lab', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' } };
  const forward = (proto: 'tcp' | 'udp', port: number, hostIp?: string): PortForward => ({
    network: 'lab', proto, hostPort: { start: port, end: port }, to: { ip: '10.80.0.5', port: { start: port, end: port } }, ...(hostIp && { hostIp }),
  });
  const check = (f: PortForward) => validatePortForward(f, { network, existing: [], listening, hostAddresses: ['127.0.0.1', '10.99.0.1'] });

  it('refuses the port a service on every address holds', () => {
    expect(check(forward('tcp', 8080))[0]?.message).toMatch(/^--host-port 8080 \(tcp\) is where a service on this host listens \(\*:8080\)/);
  });

  it('allows a port held on loopback only', () => {
    expect(check(forward('tcp', 8081))).toEqual([]);
  });

  it('refuses a UDP port held on the forward\'s host address, and allows it for TCP elsewhere', () => {
    expect(check(forward('udp', 5353, '10.99.0.1'))[0]?.message).toMatch(/5353 \(udp\) is where a service on this host listens \(10\.99\.0\.1:5353\)/);
    expect(check(forward('udp', 5354, '10.99.0.1'))).toEqual([]);
  });
});
