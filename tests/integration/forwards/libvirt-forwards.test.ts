import { describe, expect } from 'vitest';
import { FORWARDS_UNIT_PATH, FORWARDS_WANTS_PATH } from '../../../main/core/paths';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { buildNodeBundle } from '../../lab/build-node-bundle';
import { guestUnavailableReason } from '../../lab/guest';
import { LAB_LIBVIRT_URI } from '../../lab/libvirtd';
import { defineForwardProofs } from './forward-proofs';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped port forward proofs on the libvirt backend: ${skip}`);

describe.skipIf(skip)('port forwards, reservations and leases on a libvirt NAT network (the iptables rules of libvirt 9, and the nftables reject of libvirt 10 added by hand), with a real guest', () => {
  defineForwardProofs('libvirt', {
    subnet: '10.82.2.0/24',
    reserved: '10.82.2.50',
    mac: '52:54:00:6b:70:02',
    peerMac: '52:54:00:6b:70:12',
    libvirtNftReject: true,
    /**
     * The forwards live in the network's libvirt definition, and a boot unit ordered after libvirtd
     * puts them back. A reboot leaves libvirt's own rules (libvirt restores them itself) and none of
     * KVMNet's runtime: its table, its FORWARD jump and chain, its rule in libvirt's guest_input and
     * /run/kvmnet are removed here as a reboot would, then the unit's command is run.
     */
    async restore(net, network) {
      const { lab, router } = net.topology;
      const definition = await lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-dumpxml', '--inactive', network]);
      expect(definition).toMatch(/<kvmnet:forward proto=.tcp. hostPort=.8080. to=.10\.82\.2\.50:80.\/>/);
      expect(definition).toMatch(/<host mac=.52:54:00:6b:70:02. name=.web. ip=.10\.82\.2\.50.\/>|<host mac=.52:54:00:6b:70:02. ip=.10\.82\.2\.50. name=.web.\/>/);
      expect((await lab.sh('readlink', [FORWARDS_WANTS_PATH])).trim()).toBe(FORWARDS_UNIT_PATH);
      expect(await lab.sh('cat', [FORWARDS_UNIT_PATH])).toMatch(/^After=libvirtd\.service .*\nExecStart=\/usr\/libexec\/kvmnet\/kvmnet-helper --restore-libvirt-forwards$/ms);

      await lab.sh('nft', ['delete', 'table', 'inet', 'kvmnet']);
      await lab.sh('iptables', ['-D', 'FORWARD', '-m', 'comment', '--comment', 'kvmnet', '-j', 'KVMNET_FWD']);
      await lab.sh('iptables', ['-F', 'KVMNET_FWD']);
      await lab.sh('iptables', ['-X', 'KVMNET_FWD']);
      const ours = /# handle (\d+)/.exec((await lab.sh('nft', ['-a', 'list', 'chain', 'ip', 'libvirt_network', 'guest_input'])).split('\n').find((l) => l.includes('kvmnet:'))!)![1]!;
      await lab.sh('nft', ['delete', 'rule', 'ip', 'libvirt_network', 'guest_input', 'handle', ours]);
      await lab.sh('rm', ['-rf', '/run/kvmnet']);
      expect((await router.fetch('http://203.0.113.2:8080/marker', 2)).ok).toBe(false);

      const helper = await buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']);
      try {
        const restored = await lab.run(process.execPath, [helper.path, '--restore-libvirt-forwards']);
        expect(restored.exitCode, restored.stderr).toBe(0);
        expect(restored.stderr).toContain(`${network}: 2 port forward(s) back`);
      } finally {
        await helper.remove();
      }
    },
  });
});
