import { describe, expect } from 'vitest';
import { NetworkRecord } from '../../../main/core/network/network-record';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { buildNodeBundle } from '../../lab/build-node-bundle';
import { guestUnavailableReason } from '../../lab/guest';
import { defineForwardProofs } from './forward-proofs';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped port forward proofs on the direct backend: ${skip}`);

describe.skipIf(skip)('port forwards, reservations and leases on a direct NAT network, with a real guest', () => {
  defineForwardProofs('direct', {
    subnet: '10.82.1.0/24',
    reserved: '10.82.1.50',
    mac: '52:54:00:6b:70:01',
    peerMac: '52:54:00:6b:70:11',
    /**
     * What a reboot leaves is the record: the forward must be in it, and the boot unit's
     * `kvmnet-helper --restore` must bring the network back with it. The network's runtime is torn
     * down as a reboot would find it (no bridge, no dnsmasq, no table, no /run/kvmnet), then restored.
     */
    async restore(net, network, bridge) {
      const { lab } = net.topology;
      const record = NetworkRecord.parse(JSON.parse(await lab.sh('cat', [`/etc/kvmnet/networks/${network}.json`])));
      expect(record.spec.forwards).toEqual([
        { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.82.1.50', port: { start: 80, end: 80 } } },
        { proto: 'udp', hostPort: { start: 5000, end: 5009 }, to: { ip: '10.82.1.50', port: { start: 6000, end: 6009 } } },
      ]);
      expect(record.spec.reservations).toEqual([{ mac: '52:54:00:6b:70:01', ip: '10.82.1.50', name: 'web' }]);
      const pid = (await lab.sh('cat', [`/run/kvmnet/dnsmasq/${network}.pid`])).trim();
      await lab.sh('kill', [pid]);
      await lab.sh('nft', ['delete', 'table', 'inet', 'kvmnet']);
      await lab.sh('ip', ['link', 'delete', bridge]);
      await lab.sh('sh', ['-c', 'while [ -e /proc/"$1" ]; do sleep 0.05; done; rm -rf /run/kvmnet', 'wait', pid]);
      expect((await net.topology.router.fetch('http://203.0.113.2:8080/marker', 2)).ok).toBe(false);
      const helper = await buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']);
      try {
        const restored = await lab.run(process.execPath, [helper.path, '--restore']);
        expect(restored.exitCode, restored.stderr).toBe(0);
      } finally {
        await helper.remove();
      }
      // the guest's tap was left without a bridge when it went: plug it into the restored one
      await lab.sh('ip', ['link', 'set', 'kvt0', 'master', bridge, 'up']);
    },
  });
});
