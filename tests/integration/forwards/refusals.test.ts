import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultPromise } from 'execa';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from '../cli/cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped forward and reservation refusals: ${skip}`);

/** a TCP service of the laptop itself, on all addresses, that a forward must not take over */
const LISTENING_PORT = 9090;

/**
 * Every refusal exits 2, names the option at fault and leaves the laptop exactly as it was:
 * compared whole (links, rules, files, processes) before and after each command.
 */
describe.skipIf(skip)('kvmnet forward / reserve / unreserve: bad input changes nothing', () => {
  let cli: CliLab;
  let listener: ResultPromise;

  beforeAll(async () => {
    cli = await startCliLab();
    for (const args of [
      ['create', 'nat', 'n1', '--backend', 'direct', '--subnet', '10.83.1.0/24'],
      ['create', 'hostonly', 'h1', '--backend', 'direct', '--subnet', '10.83.2.0/24'],
      ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8080', '--to', '10.83.1.5:80'],
      ['reserve', 'n1', '--mac', '52:54:00:6b:71:01', '--ip', '10.83.1.10'],
    ]) {
      const r = await cli.kvmnet(...args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      // a forward to an address DHCP may give another guest says how to pin it
      if (args[0] === 'forward') expect(r.stderr).toContain('kvmnet: note: 10.83.1.5 is not reserved, and a DHCP address can pass to another guest; keep it with: kvmnet reserve n1 --mac');
    }
    listener = cli.lab.spawn(process.execPath, ['-e', `require('net').createServer().listen(${LISTENING_PORT}, '0.0.0.0')`], { reject: false });
    await cli.lab.sh('sh', ['-c', `for i in $(seq 100); do ss -Hltn "sport = :${LISTENING_PORT}" | grep -q . && exit 0; sleep 0.05; done; exit 1`]);
    await cli.settle();
  }, 120_000);

  afterAll(async () => {
    listener?.kill();
    await cli?.close();
  });

  it.each([
    ['a host port already forwarded', ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8080', '--to', '10.83.1.6:80'], /--host-port 8080 \(tcp\) is already forwarded to 10\.83\.1\.5:80 on network n1; pick another, e\.g\. --host-port 8081/],
    ['a range overlapping a forward', ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8070-8090', '--to', '10.83.1.6:8070-8090'], /--host-port 8070-8090 \(tcp\) is already forwarded/],
    ['a port a host service listens on', ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', String(LISTENING_PORT), '--to', '10.83.1.6:80'], /--host-port 9090 \(tcp\) is where a service on this host listens \(0\.0\.0\.0:9090\)/],
    ['a target outside the subnet', ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8081', '--to', '10.99.0.5:80'], /--to 10\.99\.0\.5 is outside network n1 \(10\.83\.1\.0\/24\); give a guest's address in 10\.83\.1\.2–10\.83\.1\.254/],
    ['the gateway as target', ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8081', '--to', '10.83.1.1:80'], /--to 10\.83\.1\.1 is the gateway of network n1/],
    ['a network that is not nat', ['forward', 'add', 'h1', '--proto', 'tcp', '--host-port', '8081', '--to', '10.83.2.5:80'], /network h1 is a hostonly network; port forwards are for nat networks/],
    ['a bad protocol', ['forward', 'add', 'n1', '--proto', 'sctp', '--host-port', '8081', '--to', '10.83.1.6:80'], /--proto: must be tcp or udp/],
    ['a port out of range', ['forward', 'add', 'n1', '--proto', 'udp', '--host-port', '70000', '--to', '10.83.1.6:80'], /--host-port: port 70000 is above 65535/],
    ['ranges of different lengths', ['forward', 'add', 'n1', '--proto', 'udp', '--host-port', '5000-5009', '--to', '10.83.1.6:6000-6001'], /--to port range 6000-6001 has 2 ports but --host-port 5000-5009 has 10/],
    ['a host address the host does not have', ['forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8081', '--to', '10.83.1.6:80', '--host-ip', '192.168.77.1'], /--host-ip 192\.168\.77\.1 is not an address of this host/],
    ['an unknown network', ['forward', 'add', 'nope', '--proto', 'tcp', '--host-port', '8081', '--to', '10.83.1.6:80'], /network nope is not a KVMNet network on this host; the KVMNet networks are h1, n1/],
    ['removing a forward that is not there', ['forward', 'remove', 'n1', '--proto', 'udp', '--host-port', '8080'], /--host-port 8080 \(udp\) is not forwarded on network n1; its forwards are: tcp --host-port 8080/],
    ['a malformed MAC', ['reserve', 'n1', '--mac', '52:54:00:zz:00:01', '--ip', '10.83.1.11'], /--mac/],
    ['a multicast MAC', ['reserve', 'n1', '--mac', '53:54:00:00:00:01', '--ip', '10.83.1.11'], /--mac: 53:54:00:00:00:01 .*multicast/],
    ['an address outside the subnet', ['reserve', 'n1', '--mac', '52:54:00:6b:71:02', '--ip', '10.99.0.11'], /--ip 10\.99\.0\.11 is outside network n1 \(10\.83\.1\.0\/24\); pick another, e\.g\. 10\.83\.1\.2/],
    ['a malformed address', ['reserve', 'n1', '--mac', '52:54:00:6b:71:02', '--ip', '10.83.1'], /--ip: "10\.83\.1" is not an IPv4 address/],
    ['an address already reserved', ['reserve', 'n1', '--mac', '52:54:00:6b:71:02', '--ip', '10.83.1.10'], /--ip 10\.83\.1\.10 is already reserved for 52:54:00:6b:71:01/],
    ['a MAC already reserved', ['reserve', 'n1', '--mac', '52:54:00:6b:71:01', '--ip', '10.83.1.12'], /--mac 52:54:00:6b:71:01 already has a reservation on n1 \(10\.83\.1\.10\)/],
    ['unreserving what is not reserved', ['unreserve', 'n1', '--mac', '52:54:00:6b:71:09'], /--mac 52:54:00:6b:71:09 has no reservation on network n1; its reservations are: 52:54:00:6b:71:01 10\.83\.1\.10/],
  ])('%s: exit 2, the option named, nothing changed', async (_case, args, message) => {
    const before = await cli.state();
    const r = await cli.kvmnet(...args);
    expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was changed/);
    expect(await cli.state()).toEqual(before);
  });

  it('with --json, the refusal is JSON on stdout naming each field', async () => {
    const r = await cli.kvmnet('forward', 'add', 'n1', '--proto', 'tcp', '--host-port', '8080', '--to', '10.99.0.5:80', '--json');
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      error: {
        code: 'BAD_INPUT',
        issues: [
          { field: 'to', message: expect.stringMatching(/^--to 10\.99\.0\.5 is outside network n1/) },
          { field: 'hostPort', message: expect.stringMatching(/^--host-port 8080 \(tcp\) is already forwarded/) },
        ],
      },
    });
  });
});
