import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Guest } from '../../lab/guest';
import { warmUpLibvirt } from '../../lab/libvirtd';
import { LAN } from '../../lab/topology';
import { inSubnet, startNetworkLab, type Backend, type NetworkLab } from '../networks/network-lab';

/** what the guest serves, so a fetch that returns it proves the connection reached this guest */
const MARKER = 'kvmnet-forwarded-guest';
const HOST_PORT = '8080';

export interface ForwardProofOptions {
  readonly subnet: string;
  /** the address reserved for the guest, inside the subnet and outside the DHCP range */
  readonly reserved: string;
  readonly mac: string;
  /** a second guest, which reaches the first through the forward (hairpin) */
  readonly peerMac: string;
  /** after the forward is proven: bring the network back the way a reboot does, and prove the forward again */
  readonly restore?: (net: NetworkLab, network: string, bridge: string) => Promise<void>;
  /**
   * libvirt ≥ 10 with its nftables backend rejects in `ip libvirt_network` chain guest_input
   * instead of iptables' LIBVIRT_FWI. This libvirt has only the iptables backend, so the test adds
   * that table's reject for the bridge by hand, as libvirt 10 writes it, on top.
   */
  readonly libvirtNftReject?: boolean;
}

/** the part of libvirt 10's `ip libvirt_network` table that turns a forwarded connection away */
const libvirtNftTable = (bridge: string, subnet: string) => `table ip libvirt_network {
  chain guest_input {
    oif "${bridge}" ip daddr ${subnet} ct state related,established counter accept
    oif "${bridge}" counter reject
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    counter jump guest_input
  }
}
`;

/**
 * One test on one backend: a NAT network, a reservation for a real guest's MAC, the guest's web
 * server reached from the router through the laptop's LAN address and from the laptop itself, the
 * lease listed, then everything removed again, and the laptop compared with its state before.
 */
export function defineForwardProofs(backend: Backend, options: ForwardProofOptions): void {
  let net: NetworkLab;
  beforeAll(async () => {
    net = await startNetworkLab(backend);
    if (backend === 'libvirt') await warmUpLibvirt(net.topology.lab);
  }, 120_000);
  afterAll(async () => {
    await net?.close();
  });

  const ok = async (...args: string[]) => {
    const r = await net.kvmnet(...args);
    expect(r.exitCode, `kvmnet ${args.join(' ')}:\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  it(`nat (${backend}): a reservation gives the guest its address, a forward reaches its web server from the router and from the host, and removing it all restores the host`, async () => {
    const { router, laptop } = net.topology;
    const name = backend === 'direct' ? 'fw1' : 'fwl1';
    const forwarded = `http://${LAN.laptop}:${HOST_PORT}/marker`;
    await net.settle();
    const before = await net.state();
    const { bridge } = await net.create('nat', name, '--subnet', options.subnet);
    let guest: Guest | undefined;
    try {
      await ok('reserve', name, '--mac', options.mac, '--ip', options.reserved, '--name', 'web');
      guest = await net.boot('kvt0', options.mac, bridge, { httpd: MARKER, staySeconds: 240 });
      const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
      expect(lease, guest.transcript()).toMatchObject({ kind: 'LEASE', ip: options.reserved });
      await guest.waitFor('SERVING');

      // nothing forwards yet: the laptop itself has nothing on that port
      expect(await router.fetch(forwarded, 2)).toMatchObject({ ok: false });
      if (options.libvirtNftReject) await net.topology.lab.sh('nft', ['-f', '-'], { input: libvirtNftTable(bridge, options.subnet) });
      const added = await net.kvmnet('forward', 'add', name, '--proto', 'tcp', '--host-port', HOST_PORT, '--to', `${options.reserved}:80`);
      expect(added.exitCode, added.stderr).toBe(0);
      // the target is reserved: no reminder to reserve it
      expect(added.stderr).not.toContain('note:');
      // left in place to the end: deleting the network must take it away too
      await ok('forward', 'add', name, '--proto', 'udp', '--host-port', '5000-5009', '--to', `${options.reserved}:6000-6009`);
      expect(JSON.parse(await ok('forward', 'list', name, '--json'))).toEqual([
        { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: options.reserved, port: { start: 80, end: 80 } } },
        { proto: 'udp', hostPort: { start: 5000, end: 5009 }, to: { ip: options.reserved, port: { start: 6000, end: 6009 } } },
      ]);
      if (backend === 'libvirt') {
        // libvirt 9 here uses iptables: KVMNet's one tagged jump must come before libvirt's REJECTs
        const forward = (await net.topology.lab.sh('iptables', ['-S', 'FORWARD'])).split('\n');
        expect(forward.slice(0, 3)).toEqual(['-P FORWARD ACCEPT', '-A FORWARD -m comment --comment kvmnet -j KVMNET_FWD', '-A FORWARD -j LIBVIRT_FWX']);
      }
      expect(await router.fetch(forwarded)).toEqual({ ok: true, body: MARKER });
      if (backend === 'libvirt') {
        // without that jump, libvirt's LIBVIRT_FWI rejects the DNATed connection: the accept is what makes the forward work
        const jump = ['FORWARD', '-m', 'comment', '--comment', 'kvmnet', '-j', 'KVMNET_FWD'];
        await net.topology.lab.sh('iptables', ['-D', ...jump]);
        expect(await router.fetch(forwarded, 3)).toMatchObject({ ok: false });
        await net.topology.lab.sh('iptables', ['-I', 'FORWARD', '1', ...jump.slice(1)]);
        expect(await router.fetch(forwarded)).toEqual({ ok: true, body: MARKER });
      }
      if (options.libvirtNftReject) {
        const guestInput = () => net.topology.lab.sh('nft', ['-a', 'list', 'chain', 'ip', 'libvirt_network', 'guest_input']);
        const ours = (await guestInput()).split('\n').find((l) => l.includes('comment "kvmnet:'));
        expect(ours).toMatch(new RegExp(`oifname "${bridge}" ip daddr ${options.subnet.replace(/\./g, '\\.')} ct status dnat counter packets \\d+ bytes \\d+ accept comment "kvmnet:${name}"`));
        // it is the first rule of the chain, ahead of libvirt's reject, and the forward needs it
        expect((await guestInput()).split('\n').findIndex((l) => l.includes('kvmnet:'))).toBe((await guestInput()).split('\n').findIndex((l) => l.trim().startsWith('chain guest_input')) + 1);
        const handle = /# handle (\d+)/.exec(ours!)![1]!;
        await net.topology.lab.sh('nft', ['delete', 'rule', 'ip', 'libvirt_network', 'guest_input', 'handle', handle]);
        expect(await router.fetch(forwarded, 3)).toMatchObject({ ok: false });
        await net.topology.lab.sh('nft', ['insert', 'rule', 'ip', 'libvirt_network', 'guest_input', 'oifname', bridge, 'ip', 'daddr', options.subnet, 'ct', 'status', 'dnat', 'counter', 'accept', 'comment', `"kvmnet:${name}"`]);
        expect(await router.fetch(forwarded)).toEqual({ ok: true, body: MARKER });
      }
      // the output hook: the laptop's own connection to its LAN address reaches the guest too
      expect(await laptop.fetch(forwarded)).toEqual({ ok: true, body: MARKER });
      // hairpin: another guest of the network reaches it through the host's address and the forward.
      // Proven without br_netfilter, as on most desktops: with it, conntrack would also see the
      // answer bridged guest to guest and mend the connection, masquerade or not.
      const brNetfilter = '/proc/sys/net/bridge/bridge-nf-call-iptables';
      const brNetfilterBefore = (await net.topology.lab.sh('cat', [brNetfilter])).trim();
      await net.topology.lab.sh('sh', ['-c', `echo 0 > ${brNetfilter}`]);
      try {
        const peer = await net.boot('kvt1', options.peerMac, bridge, { fetch: [forwarded] });
        expect(await peer.waitFor(['FETCH_OK', 'FETCH_FAIL']), peer.transcript()).toMatchObject({ kind: 'FETCH_OK', body: MARKER });
      } finally {
        await net.topology.lab.sh('sh', ['-c', `echo ${brNetfilterBefore} > ${brNetfilter}`]);
      }

      const leases = JSON.parse(await ok('leases', name, '--json')) as { mac: string; ip: string }[];
      expect(leases).toEqual(expect.arrayContaining([expect.objectContaining({ mac: options.mac, ip: options.reserved })]));
      expect(leases.every((l) => inSubnet(l.ip, options.subnet))).toBe(true);

      if (options.restore) {
        await options.restore(net, name, bridge);
        expect(await router.fetch(forwarded, 10)).toEqual({ ok: true, body: MARKER });
      }

      await ok('forward', 'remove', name, '--proto', 'tcp', '--host-port', HOST_PORT);
      expect(await router.fetch(forwarded, 2)).toMatchObject({ ok: false });
      expect(await laptop.fetch(forwarded, 2)).toMatchObject({ ok: false });
      expect(JSON.parse(await ok('forward', 'list', name, '--json'))).toMatchObject([{ proto: 'udp' }]);
      await ok('unreserve', name, '--mac', options.mac);
    } finally {
      await net.unplugGuests();
      const deleted = await net.kvmnet('delete', name);
      expect(deleted.exitCode, deleted.stderr).toBe(0);
    }
    if (options.libvirtNftReject) {
      // KVMNet's rule went with the network's last forward (found by its comment); libvirt's own rules stayed
      const left = await net.topology.lab.sh('nft', ['list', 'chain', 'ip', 'libvirt_network', 'guest_input']);
      expect(left).not.toContain('kvmnet');
      expect(left).toContain('reject');
      await net.topology.lab.sh('nft', ['delete', 'table', 'ip', 'libvirt_network']);
    }
    await net.settle();
    expect(await net.state()).toEqual(before);
  }, 300_000);
}
