import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { guestUnavailableReason, startGuest } from '../../lab/guest';
import { buildNodeBundle } from '../../lab/build-node-bundle';
import { readHostState, type HostState } from '../../lab/host-state';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { settleLinks } from '../../lab/laptop-lan';
import { startBridgedLab, type BridgedLab } from '../bridged/bridged-lab';

const skip = labUnavailableReason() ?? await guestUnavailableReason();
if (skip) console.log(`skipped the proxy-ARP guest proof: ${skip}`);

const GUEST_MAC = '52:54:00:5a:00:42';
const PROXY_ARP = '/proc/sys/net/ipv4/conf/eth0/proxy_arp';

const withoutBridgeMac = (state: HostState): HostState => ({
  ...state,
  links: state.links.map((l) => ((l as { name?: string }).name === 'kv-wifi' ? { ...(l as object), address: '(random)' } : l)),
});

/**
 * The laptop's eth0 (a veth on the lab router's LAN, 203.0.113.0/24) stands in for a Wi-Fi uplink:
 * proxy ARP works the same on either, and refusing to bridge Wi-Fi is proven elsewhere. The router
 * has no route to the guests' slice: it reaches the guest only because the laptop answers ARP for
 * the guest's address on the LAN.
 */
describe.skipIf(skip)('a TCG guest on a routed network with proxy ARP on the uplink', () => {
  let b: BridgedLab;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false });
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  const router = (...args: string[]) => b.lab.run('ip', ['netns', 'exec', 'router', ...args]);

  it("gets a lease in a slice of the LAN, the router (with no route to the slice) and the guest ping each other, and delete leaves the host as before", async () => {
    await settleLinks(b.lab);
    const before = await readHostState(b.lab);
    expect(before.sysctls[PROXY_ARP]).toBe('0');

    const created = await b.kvmnet('create', 'routed', 'wifi', '--uplink', 'eth0', '--proxy-arp', '--json');
    expect(created.exitCode, created.stderr).toBe(0);
    const { network } = JSON.parse(created.stdout) as { network: { bridge: string; backend: string; proxyArp: boolean; ipv4: { subnet: string; gateway: string } } };
    // the top /28 holds 203.0.113.254, the gateway of the laptop's route to 198.51.100.0/24: the next one down
    expect(network).toMatchObject({ backend: 'direct', proxyArp: true, ipv4: { subnet: '203.0.113.224/28', gateway: '203.0.113.225' } });
    expect(created.stderr).toContain("must lie outside the DHCP pool of the LAN's router");
    expect((await b.lab.sh('cat', [PROXY_ARP])).trim()).toBe('1');
    const nft = await b.lab.sh('nft', ['list', 'table', 'inet', 'kvmnet']);
    expect(nft).not.toContain('masquerade');
    const record = JSON.parse(await b.lab.sh('cat', ['/etc/kvmnet/networks/wifi.json'])) as { proxyArpBefore?: string; ipForwardBefore?: string };
    expect(record).toMatchObject({ proxyArpBefore: '0', ipForwardBefore: '0' });

    // the router knows only its LAN: the slice is on-link for it, with no gateway
    expect(await b.lab.sh('ip', ['-n', 'router', '-4', 'route', 'show'])).not.toContain('203.0.113.224');

    await b.lab.sh('ip', ['tuntap', 'add', 'dev', 'tap0', 'mode', 'tap']);
    await b.lab.sh('ip', ['link', 'set', 'tap0', 'master', network.bridge, 'up']);
    const guest = await startGuest(b.lab, {
      netArgs: ['-netdev', 'tap,id=n0,ifname=tap0,script=no,downscript=no', '-device', `virtio-net-pci,netdev=n0,mac=${GUEST_MAC}`],
      behaviour: { ping: [b.router.gateway], waitSeconds: 60, staySeconds: 60 },
      timeoutMs: 240_000,
    });
    try {
      const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
      expect(lease.kind, guest.transcript()).toBe('LEASE');
      if (lease.kind !== 'LEASE') return;
      console.log(`guest on ${network.bridge}: lease ${lease.ip} from KVMNet's dnsmasq ${lease.atMs} ms after QEMU started`);
      expect(lease.ip).toMatch(/^203\.0\.113\.23[2-8]$/);
      expect(lease.router).toBe('203.0.113.225');
      expect((await guest.waitFor(['PING_OK', 'PING_FAIL'])).kind, guest.transcript()).toBe('PING_OK');

      const fromRouter = await router('busybox', 'ping', '-c', '1', '-W', '3', lease.ip);
      expect(fromRouter.exitCode, fromRouter.stdout + fromRouter.stderr).toBe(0);
      // the router reached the guest at the laptop's MAC: the laptop answered ARP for the guest
      const laptopMac = (JSON.parse(await b.lab.sh('ip', ['-j', 'link', 'show', 'dev', 'eth0'])) as { address: string }[])[0]!.address;
      expect(await b.lab.sh('ip', ['-n', 'router', 'neigh', 'show', lease.ip])).toContain(laptopMac);

      // the control: without proxy ARP the router, asking the LAN for the guest, gets no answer
      await b.lab.sh('sh', ['-c', `echo 0 > ${PROXY_ARP}`]);
      await b.lab.sh('ip', ['-n', 'router', 'neigh', 'flush', 'to', lease.ip]);
      expect((await router('busybox', 'ping', '-c', '1', '-W', '2', lease.ip)).exitCode).not.toBe(0);
      await b.lab.sh('sh', ['-c', `echo 1 > ${PROXY_ARP}`]);
    } finally {
      await guest.close();
    }
    await b.lab.sh('ip', ['link', 'delete', 'tap0']);

    const deleted = await b.kvmnet('delete', 'wifi');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    await settleLinks(b.lab);
    const after = await readHostState(b.lab);
    expect(after.sysctls[PROXY_ARP]).toBe('0');
    expect(after).toEqual(before);
  }, 400_000);

  it('after a reboot, the boot unit (kvmnet-helper --restore) turns proxy_arp on again with the rest of the network', async () => {
    const helper = await buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']);
    try {
      await settleLinks(b.lab);
      const before = await readHostState(b.lab);
      expect((await b.kvmnet('create', 'routed', 'wifi', '--uplink', 'eth0', '--proxy-arp')).exitCode).toBe(0);
      await settleLinks(b.lab);
      const up = await readHostState(b.lab);
      expect(up.sysctls[PROXY_ARP]).toBe('1');

      // what a reboot loses: the runtime state (links, nft table, dnsmasq, /run) and the sysctls; the records stay
      const pid = (await b.lab.sh('cat', ['/run/kvmnet/dnsmasq/wifi.pid'])).trim();
      await b.lab.sh('kill', [pid]);
      await b.lab.sh('sh', ['-c', `ip link delete kv-wifi && nft delete table inet kvmnet && rm -rf /run/kvmnet && echo 0 > ${PROXY_ARP} && echo 0 > /proc/sys/net/ipv4/ip_forward`]);
      await settleLinks(b.lab);
      expect((await readHostState(b.lab)).sysctls[PROXY_ARP]).toBe('0');

      const restored = await b.lab.run(process.execPath, [helper.path, '--restore']);
      expect(restored.exitCode, restored.stderr).toBe(0);
      expect(restored.stderr).toMatch(/: wifi: up again \(\d+ steps\)$/m);
      await settleLinks(b.lab);
      // the same network again; only its bridge's MAC is new, as every bridge KVMNet creates gets a fresh one
      expect(withoutBridgeMac(await readHostState(b.lab))).toEqual(withoutBridgeMac(up));

      expect((await b.kvmnet('delete', 'wifi')).exitCode).toBe(0);
      await settleLinks(b.lab);
      expect(await readHostState(b.lab)).toEqual(before);
    } finally {
      await helper.remove();
    }
  }, 300_000);
});
