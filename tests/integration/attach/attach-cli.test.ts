import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from '../cli/cli-lab';
import { warmUpLibvirt } from '../../lab/libvirtd';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet attach/detach lab tests: ${skip}`);

/** the user sudo ran kvmnet for: the tap must be theirs, not root's */
const DESKTOP_UID = '4242';
const MAC = /^52:54:00(:[0-9a-f]{2}){3}$/;

interface QemuAttach {
  tap: string;
  user: number;
  mac: string;
  model: string;
  vhost: boolean;
  args: string[];
  shell: string;
}

/**
 * `kvmnet attach` and `detach` against real links, a real libvirtd and a real (shut off) libvirt
 * domain, on a direct and a libvirt NAT network. Guests proving the printed lines work are in
 * attach-guests.test.ts.
 */
describe.skipIf(skip)('kvmnet attach/detach in a lab', () => {
  let cli: CliLab;
  let before: Awaited<ReturnType<CliLab['state']>>;
  const virsh = (...args: string[]) => cli.lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });
  const kvmnet = (...args: string[]) => cli.lab.run(process.execPath, [cli.cliPath, ...args], { env: { SUDO_UID: DESKTOP_UID } });
  const domainXml = () => virsh('dumpxml', '--inactive', 'vm1');
  const linkOf = async (name: string) => {
    const r = await cli.lab.run('ip', ['-j', '-d', 'link', 'show', 'dev', name]);
    return r.exitCode === 0 ? (JSON.parse(r.stdout) as { ifalias?: string; master?: string; flags: string[]; linkinfo: { info_kind: string; info_data: { type: string; user?: number } } }[])[0] : undefined;
  };
  const record = async (network: string) => JSON.parse(await cli.lab.sh('cat', [`/etc/kvmnet/networks/${network}.json`])) as { taps?: unknown[] };

  beforeAll(async () => {
    cli = await startCliLab({ libvirtd: true });
    await warmUpLibvirt(cli.lab);
    for (const [name, backend, subnet] of [['an', 'direct', '10.82.1.0/24'], ['al', 'libvirt', '10.82.2.0/24'], ['ast', 'direct', '10.82.3.0/24']] as const) {
      const created = await kvmnet('create', 'nat', name, '--backend', backend, '--subnet', subnet);
      if (created.exitCode !== 0) throw new Error(created.stderr);
    }
    await kvmnet('stop', 'ast');
    // libvirt's own kind of network, which KVMNet did not create: printing for it is fine, changing it is not
    await cli.lab.sh('tee', ['/run/foreignnet.xml'], { input: "<network><name>foreignnet</name><bridge name='virbr7'/></network>" });
    await virsh('net-define', '/run/foreignnet.xml');
    // a minimal guest definition: no disk, never started here; libvirt keeps it as written
    await cli.lab.sh('sh', ['-c', 'cat > /run/vm1.xml'], {
      input: "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>",
    });
    await virsh('define', '/run/vm1.xml');
    // a tap someone else made, which detach must refuse to touch
    await cli.lab.sh('ip', ['tuntap', 'add', 'dev', 'foreign0', 'mode', 'tap']);
  }, 180_000);
  afterAll(async () => {
    await cli?.close();
  });
  beforeEach(async () => {
    await cli.settle();
    before = await cli.state();
  });

  for (const [network, bridge] of [['an', 'kv-an'], ['al', 'kv-al']] as const) {
    it(`--print qemu makes a tap the invoking user owns on ${network}'s bridge; detach --tap leaves the host as before`, async () => {
      const attached = await kvmnet('attach', network, '--print', 'qemu', '--json');
      expect(attached.exitCode, attached.stderr).toBe(0);
      const out = JSON.parse(attached.stdout) as QemuAttach;
      expect(out).toMatchObject({ tap: `kvt-${network}-0`, user: Number(DESKTOP_UID), model: 'virtio', vhost: false });
      expect(out.mac).toMatch(MAC);
      // no /dev/vhost-net on these machines: vhost must stay off
      expect(out.args).toEqual(['-netdev', `tap,id=${out.tap},ifname=${out.tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=${out.tap},mac=${out.mac}`]);
      expect(out.shell).toBe(out.args.join(' '));

      const tap = await linkOf(out.tap);
      expect(tap).toMatchObject({ ifalias: `kvmnet:${network}`, master: bridge, linkinfo: { info_kind: 'tun', info_data: { type: 'tap' } } });
      expect(tap?.flags).toContain('UP');
      expect((await cli.lab.sh('cat', [`/sys/class/net/${out.tap}/owner`])).trim()).toBe(DESKTOP_UID);
      // the tap's own MAC is the guest's with first octet fe, as libvirt's vnetN: it names the guest MAC it serves
      expect((await cli.lab.sh('cat', [`/sys/class/net/${out.tap}/address`])).trim()).toBe(`fe${out.mac.slice(2)}`);
      if (network === 'an') expect((await record('an')).taps).toEqual([{ name: out.tap, user: Number(DESKTOP_UID), mac: out.mac }]);

      // the guest MAC is taken now, on either backend (a libvirt network's taps are in no record)
      const taken = await kvmnet('attach', network, '--print', 'virt-install', '--mac', out.mac);
      expect(taken.exitCode).toBe(2);
      expect(taken.stderr).toContain(`${out.mac} is already used by the guest behind KVMNet's tap "${out.tap}"`);

      // the next one gets the next name and another MAC
      const second = JSON.parse((await kvmnet('attach', network, '--print', 'qemu', '--json', '--model', 'e1000e')).stdout) as QemuAttach;
      expect(second.tap).toBe(`kvt-${network}-1`);
      expect(second.mac).not.toBe(out.mac);
      expect(second.args[3]).toBe(`e1000e,netdev=${second.tap},mac=${second.mac}`);

      for (const t of [second.tap, out.tap]) {
        const detached = await kvmnet('detach', network, '--tap', t);
        expect(detached.exitCode, detached.stderr).toBe(0);
        expect(detached.stdout).toBe(`removed tap ${t} from network ${network}`);
      }
      await cli.settle();
      expect(await cli.state()).toEqual(before);
    });
  }

  it('prints qemu args with the user\'s own --tap and --mac, text only on stdout', async () => {
    const attached = await kvmnet('attach', 'an', '--print', 'qemu', '--tap', 'web0', '--mac', '52:54:00:AA:01:02');
    expect(attached.exitCode, attached.stderr).toBe(0);
    expect(attached.stdout).toBe('-netdev tap,id=web0,ifname=web0,script=no,downscript=no -device virtio-net-pci,netdev=web0,mac=52:54:00:aa:01:02');
    expect(attached.stderr).toContain('kvmnet detach an --tap web0 removes it');
    // the MAC is KVMNet's now: asking for it again is refused
    const again = await kvmnet('attach', 'an', '--print', 'virt-install', '--mac', '52:54:00:aa:01:02');
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('already used by the guest behind KVMNet\'s tap "web0"');
    expect((await kvmnet('detach', 'an', '--tap', 'web0')).exitCode).toBe(0);
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  });

  it('a recorded tap comes back when its direct network is stopped and started (as at boot), and goes with the network', async () => {
    const created = await kvmnet('create', 'nat', 'ar', '--backend', 'direct', '--subnet', '10.82.4.0/24');
    expect(created.exitCode, created.stderr).toBe(0);
    const { tap } = JSON.parse((await kvmnet('attach', 'ar', '--print', 'qemu', '--json')).stdout) as QemuAttach;
    expect((await kvmnet('stop', 'ar')).exitCode).toBe(0);
    // a reboot loses the tap too: the boot unit's plan must make it anew
    await cli.lab.sh('ip', ['link', 'delete', 'dev', tap]);
    const started = await kvmnet('start', 'ar');
    expect(started.exitCode, started.stderr).toBe(0);
    expect(await linkOf(tap)).toMatchObject({ ifalias: 'kvmnet:ar', master: 'kv-ar' });
    expect((await cli.lab.sh('cat', [`/sys/class/net/${tap}/owner`])).trim()).toBe(DESKTOP_UID);
    expect((await kvmnet('delete', 'ar')).exitCode).toBe(0);
    expect(await linkOf(tap)).toBeUndefined();
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  });

  it('a tap on a libvirt network is back on libvirt\'s new bridge after stop and start, and goes with the network', async () => {
    const created = await kvmnet('create', 'nat', 'alr', '--backend', 'libvirt', '--subnet', '10.82.5.0/24');
    expect(created.exitCode, created.stderr).toBe(0);
    const { tap } = JSON.parse((await kvmnet('attach', 'alr', '--print', 'qemu', '--json')).stdout) as QemuAttach;
    expect((await kvmnet('stop', 'alr')).exitCode).toBe(0);
    // libvirt took its bridge away: the tap stays, off any bridge
    expect(await linkOf(tap)).not.toHaveProperty('master');
    const started = await kvmnet('start', 'alr');
    expect(started.exitCode, started.stderr).toBe(0);
    expect(await linkOf(tap)).toMatchObject({ ifalias: 'kvmnet:alr', master: 'kv-alr' });
    expect((await kvmnet('delete', 'alr')).exitCode).toBe(0);
    expect(await linkOf(tap)).toBeUndefined();
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  });

  it('prints virt-install, libvirt-xml and the qemu-ifup/ifdown scripts without changing the host', async () => {
    const direct = await kvmnet('attach', 'an', '--print', 'virt-install', '--mac', '52:54:00:10:20:30');
    expect(direct.stdout).toBe('--network bridge=kv-an,model=virtio,mac=52:54:00:10:20:30');
    const libvirt = await kvmnet('attach', 'al', '--print', 'virt-install', '--model', 'e1000e', '--json');
    const parsed = JSON.parse(libvirt.stdout) as { args: string[]; mac: string };
    expect(parsed.args).toEqual(['--network', `network=al,model=e1000e,mac=${parsed.mac}`]);
    const xml = await kvmnet('attach', 'al', '--print', 'libvirt-xml', '--mac', '52:54:00:10:20:31', '--tap', 'kvt-web');
    expect(xml.stdout).toBe([
      "<interface type=\"network\">",
      '  <mac address="52:54:00:10:20:31"></mac>',
      '  <source network="al"></source>',
      '  <target dev="kvt-web"></target>',
      '  <model type="virtio"></model>',
      '</interface>',
    ].join('\n').replace(/<(\w+) ([^>]*)><\/\1>/g, '<$1 $2/>'));
    const ifup = await kvmnet('attach', 'al', '--print', 'qemu-ifup');
    expect(ifup.stdout).toContain("bridge='kv-al'");
    expect(ifup.stdout.startsWith('#!/bin/bash\n')).toBe(true);
    const ifdown = await kvmnet('attach', 'an', '--print', 'qemu-ifdown');
    expect(ifdown.stdout).toContain('# qemu-ifdown-an: written by KVMNet');
    // a libvirt network KVMNet did not create, such as libvirt's "default", is fine to print for
    const foreign = await kvmnet('attach', 'foreignnet', '--print', 'virt-install', '--mac', '52:54:00:10:20:32');
    expect(foreign.stdout).toBe('--network network=foreignnet,model=virtio,mac=52:54:00:10:20:32');
    const foreignIfup = await kvmnet('attach', 'foreignnet', '--print', 'qemu-ifup');
    expect(foreignIfup.stdout).toContain("bridge='virbr7'");
    for (const r of [direct, libvirt, xml, ifup, ifdown, foreign, foreignIfup]) expect(r.exitCode, r.stderr).toBe(0);
    expect(await cli.state()).toEqual(before);
  });

  for (const [network, type, source] of [['al', 'network', 'al'], ['an', 'bridge', 'kv-an']] as const) {
    it(`--vm adds a NIC on ${network} to a shut-off domain's configuration; detach --vm --mac removes exactly it`, async () => {
      const xmlBefore = await domainXml();
      const attached = await kvmnet('attach', network, '--vm', 'vm1', '--model', 'e1000e', '--json');
      expect(attached.exitCode, attached.stderr).toBe(0);
      const { mac } = JSON.parse(attached.stdout) as { mac: string };
      expect(mac).toMatch(MAC);
      const listed = await virsh('domiflist', 'vm1');
      expect(listed).toMatch(new RegExp(`^\\s*-\\s+${type}\\s+${source}\\s+e1000e\\s+${mac}\\s*$`, 'm'));

      // the MAC is taken now, by the domain
      const clash = await kvmnet('attach', network, '--print', 'qemu', '--mac', mac);
      expect(clash.exitCode).toBe(2);
      expect(clash.stderr).toContain(`${mac} is already used by the libvirt domain "vm1"`);

      const detached = await kvmnet('detach', network, '--vm', 'vm1', '--mac', mac.toUpperCase());
      expect(detached.exitCode, detached.stderr).toBe(0);
      expect(await virsh('domiflist', 'vm1')).not.toContain(mac);
      expect(await domainXml()).toBe(xmlBefore);
      expect(await cli.state()).toEqual(before);
    });
  }

  it('detach --vm refuses a NIC of the domain that is on another network', async () => {
    const { mac } = JSON.parse((await kvmnet('attach', 'al', '--vm', 'vm1', '--json')).stdout) as { mac: string };
    const xmlWith = await domainXml();
    const wrong = await kvmnet('detach', 'an', '--vm', 'vm1', '--mac', mac);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(`kvmnet: --mac: ${mac} is on al, not on network an of domain vm1`);
    expect(await domainXml()).toBe(xmlWith);
    expect((await kvmnet('detach', 'al', '--vm', 'vm1', '--mac', mac)).exitCode).toBe(0);
  });

  const REFUSALS: readonly (readonly [string, readonly string[], string])[] = [
    ['neither --print nor --vm', ['attach', 'an'], '--print: give --print FORMAT or --vm DOMAIN, one of them'],
    ['both --print and --vm', ['attach', 'an', '--print', 'qemu', '--vm', 'vm1'], '--print: give --print FORMAT or --vm DOMAIN, one of them'],
    ['an unknown format', ['attach', 'an', '--print', 'docker'], '--print: "docker" is not something KVMNet prints'],
    ['an unknown network', ['attach', 'nosuch', '--print', 'qemu'], 'name: "nosuch" is not a KVMNet network'],
    ['a tap on a libvirt network KVMNet did not create', ['attach', 'foreignnet', '--print', 'qemu'], 'name: "foreignnet" is a libvirt network KVMNet did not create'],
    ['a domain NIC on a libvirt network KVMNet did not create', ['attach', 'foreignnet', '--vm', 'vm1'], 'name: "foreignnet" is a libvirt network KVMNet did not create'],
    ['a network that is not running', ['attach', 'ast', '--print', 'qemu'], 'network: "ast" is not running, so a guest cannot join its bridge; start it first: kvmnet start ast'],
    ['a malformed MAC', ['attach', 'an', '--print', 'qemu', '--mac', '52:54:00:zz:00:01'], '--mac: "52:54:00:zz:00:01" is not a MAC address'],
    ['a multicast MAC', ['attach', 'an', '--print', 'qemu', '--mac', '01:00:5e:00:00:01'], '--mac: 01:00:5e:00:00:01 is a multicast address'],
    ['QEMU\'s default MAC', ['attach', 'an', '--vm', 'vm1', '--mac', '52:54:00:12:34:56'], 'is QEMU\'s default MAC'],
    ['a MAC a host link has', ['attach', 'an', '--print', 'qemu', '--mac', 'MAC_OF_ETH0'], 'is already used by the host interface "eth0"'],
    ['a tap name with a space', ['attach', 'an', '--print', 'qemu', '--tap', 'my tap'], '--tap: "my tap": interface name may use only'],
    ['a tap name over 15 bytes', ['attach', 'an', '--print', 'qemu', '--tap', 'a-very-long-tap-name'], 'longer than 15 bytes'],
    ['a tap name in use', ['attach', 'an', '--print', 'qemu', '--tap', 'eth0'], '--tap: eth0 already exists on this host'],
    ['a libvirt-reserved target', ['attach', 'al', '--print', 'libvirt-xml', '--tap', 'vnet7'], 'which libvirt reserves'],
    ['--tap where it does not apply', ['attach', 'an', '--print', 'virt-install', '--tap', 'x0'], '--tap: does not apply to --print virt-install'],
    ['an unknown model', ['attach', 'an', '--print', 'qemu', '--model', 'pcnet'], '--model: "pcnet" is not a NIC model KVMNet offers; use one of virtio, e1000e, e1000, rtl8139'],
    ['an unknown domain', ['attach', 'an', '--vm', 'nosuch'], '--vm: "nosuch" is not a libvirt domain on this host; the domains are vm1'],
    ['a domain name with a slash', ['attach', 'an', '--vm', '../vm1'], '--vm: "../vm1" is not a domain name'],
    ['detach with neither --tap nor --vm', ['detach', 'an'], '--tap: give --tap IFNAME or --vm DOMAIN --mac MAC, one of them'],
    ['detach of a link that is no tap', ['detach', 'an', '--tap', 'kv-an'], '--tap: kv-an is a bridge, not a tap'],
    ['detach of a tap KVMNet did not make', ['detach', 'an', '--tap', 'foreign0'], '--tap: foreign0 is not a tap KVMNet made'],
    ['detach of a tap that does not exist', ['detach', 'an', '--tap', 'kvt-an-9'], '--tap: kvt-an-9 does not exist; KVMNet removes only taps it made on network an (it has none)'],
    ['detach --vm without --mac', ['detach', 'an', '--vm', 'vm1'], '--mac is missing'],
    ['detach --vm of a MAC the domain lacks', ['detach', 'an', '--vm', 'vm1', '--mac', '52:54:00:00:00:99'], '--mac: 52:54:00:00:00:99 is not one of its NICs of domain vm1'],
    ['detach --vm with a malformed MAC', ['detach', 'an', '--vm', 'vm1', '--mac', 'nope'], '--mac: "nope" is not a MAC address'],
  ];

  it.each(REFUSALS)('refuses %s with exit 2, naming the option, and changes nothing', async (_what, args, message) => {
    const eth0Mac = (JSON.parse(await cli.lab.sh('ip', ['-j', 'link', 'show', 'dev', 'eth0'])) as { address: string }[])[0]!.address;
    const xmlBefore = await domainXml();
    const result = await kvmnet(...args.map((a) => (a === 'MAC_OF_ETH0' ? eth0Mac : a)));
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('kvmnet: nothing was changed');
    expect(result.stdout).toBe('');
    expect(await domainXml()).toBe(xmlBefore);
    expect(await cli.state()).toEqual(before);
  });
});
