import { describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab } from '../cli/cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped plan fault tests: ${skip}`);

// Every step of every plan kind failing in turn: tests/reliability/every-plan-fails-at-every-step.test.ts

describe.skipIf(skip)('kvmnet create nat when dnsmasq cannot bind', () => {
  it('exits 1, names the dnsmasq step, rolls back, host as before', async () => {
    const cli = await startCliLab();
    try {
      // another DHCP server holds port 67 on every address, the bridge's among them
      await cli.lab.sh('dnsmasq', ['--conf-file=/dev/null', '--port=0', '--dhcp-range=10.99.0.10,10.99.0.20', '--pid-file=/run/foreign-dnsmasq.pid']);
      await cli.settle();
      const before = await cli.state();

      const r = await cli.kvmnet('create', 'nat', 'pfdhcp', '--backend', 'direct');
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^ {2}FAILED +7\/9 start dnsmasq \(DHCP and DNS\) on kv-pfdhcp: .*Address already in use/m);
      expect(r.stderr).toMatch(/^kvmnet: step 7\/9 \(start dnsmasq \(DHCP and DNS\) on kv-pfdhcp\) failed: .*failed to bind DHCP server socket: Address already in use/m);
      expect(r.stderr).toMatch(/^kvmnet: rolled back: 6 completed step\(s\) undone; the host is as it was before$/m);
      await cli.settle();
      expect(await cli.state()).toEqual(before);
    } finally {
      await cli.close();
    }
  });
});
