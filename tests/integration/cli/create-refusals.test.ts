import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from './cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet refusal lab tests: ${skip}`);

/** a record of another KVMNet network (direct, stopped), as the helper writes them */
const OTHER_RECORD = {
  version: 1,
  spec: { name: 'other', kind: 'nat', backend: 'direct', bridge: 'kv-other', ipv4: { subnet: '10.70.0.0/24', gateway: '10.70.0.1' }, dhcp: null, autostart: true },
};

/** [what is asked, the start of the message that names the field] */
const REFUSED: [string[], RegExp][] = [
  [['create', 'nat', 'a;reboot'], /^kvmnet: name: network name may use only/m],
  [['create', 'nat', '$(id)'], /^kvmnet: name: network name may use only/m],
  [['create', 'nat', '../../etc/passwd'], /^kvmnet: name: network name may use only/m],
  [['create', 'nat', ''], /^kvmnet: name: network name is empty/m],
  [['create', 'nat', 'x'.repeat(33)], /^kvmnet: name: network name is longer than 32 characters/m],
  [['create', 'nat', 'x', '--bridge', 'kv-0123456789abc'], /^kvmnet: --bridge: interface name is longer than 15 bytes/m],
  [['create', 'nat', 'x', '--bridge', 'br;reboot'], /^kvmnet: --bridge: interface name may use only/m],
  [['create', 'nat', 'x', '--bridge', 'br-foreign'], /^kvmnet: --bridge: "br-foreign" is already an interface on this host \(bridge, not created by KVMNet\)/m],
  [['create', 'nat', 'x', '--bridge', 'eth0'], /^kvmnet: --bridge: "eth0" is already an interface on this host/m],
  [['create', 'nat', 'x', '--bridge', 'kv-other'], /^kvmnet: --bridge: "kv-other" is already the bridge of the network "other"/m],
  [['create', 'nat', 'x', '--bridge', 'virbr0'], /^kvmnet: --bridge: "virbr0" is already the bridge of the libvirt network "default"/m],
  [['create', 'nat', 'other'], /^kvmnet: name: "other" is already used by the network "other"/m],
  [['create', 'nat', 'default'], /^kvmnet: name: "default" is already used by the libvirt network "default"/m],
  [['create', 'nat', 'x', '--subnet', '192.168.50.0/24'], /^kvmnet: --subnet: 192\.168\.50\.0\/24 overlaps the host route 192\.168\.50\.0\/24 on eth0/m],
  [['create', 'nat', 'x', '--subnet', '10.60.7.0/24'], /^kvmnet: --subnet: 10\.60\.7\.0\/24 overlaps the host route 10\.60\.0\.0\/16 on eth0/m],
  [['create', 'nat', 'x', '--subnet', '10.70.0.0/25'], /^kvmnet: --subnet: 10\.70\.0\.0\/25 overlaps the subnet 10\.70\.0\.0\/24 of the network "other"/m],
  [['create', 'nat', 'x', '--subnet', '192.168.122.0/24'], /^kvmnet: --subnet: 192\.168\.122\.0\/24 overlaps .*(libvirt network "default"|on virbr0)/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.0/31'], /^kvmnet: --subnet: 10\.80\.50\.0\/31 is too small/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.1/32'], /^kvmnet: --subnet: 10\.80\.50\.1\/32 is too small/m],
  [['create', 'nat', 'x', '--subnet', '10.0.0.0/8'], /^kvmnet: --subnet: 10\.0\.0\.0\/8 is larger than a \/16/m],
  [['create', 'nat', 'x', '--subnet', '300.1.1.0/24'], /^kvmnet: --subnet: "300\.1\.1\.0\/24" is not an IPv4 subnet/m],
  [['create', 'nat', 'x', '--subnet', 'fd00::/64'], /^kvmnet: --subnet: "fd00::\/64" is not an IPv4 subnet/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.9/24'], /^kvmnet: --subnet: "10\.80\.50\.9\/24" names an address inside a subnet/m],
  [['create', 'nat', 'x', '--subnet', '127.5.0.0/24'], /^kvmnet: --subnet: 127\.5\.0\.0\/24 is in the loopback address range/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.0/24', '--dhcp', '10.80.51.10-10.80.51.20'], /^kvmnet: --dhcp start: 10\.80\.51\.10 is outside the subnet 10\.80\.50\.0\/24/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.0/24', '--dhcp', '10.80.50.1-10.80.50.20'], /^kvmnet: --dhcp: range 10\.80\.50\.1–10\.80\.50\.20 includes the gateway/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.0/24', '--dhcp', '10.80.50.200-10.80.50.255'], /^kvmnet: --dhcp: range .* includes the broadcast address/m],
  [['create', 'nat', 'x', '--subnet', '10.80.50.0/24', '--dhcp', '10.80.50.200-10.80.50.100'], /^kvmnet: --dhcp: range is reversed/m],
  [['create', 'nat', 'x', '--dhcp', '10.80.50.100'], /^kvmnet: --dhcp: "10\.80\.50\.100" is not a range/m],
  [['create', 'nat', 'x', '--dhcp', '10.80.50.100-10.80.50.200'], /^kvmnet: --dhcp is set but --subnet is not/m],
  [['create', 'routed', 'x'], /^kvmnet: --uplink is required for a routed network/m],
  [['create', 'routed', 'x', '--uplink', 'wlan7'], /^kvmnet: --uplink: "wlan7" is not an interface on this host/m],
  [['create', 'nat', 'x', '--uplink', 'lo'], /^kvmnet: --uplink: "lo" is the loopback interface/m],
  [['create', 'hostonly', 'x', '--uplink', 'eth0'], /^kvmnet: --uplink is only for nat and routed networks/m],
  [['create', 'isolated', 'x', '--subnet', '10.80.50.0/24'], /^kvmnet: --subnet must be left out for an isolated network/m],
  [['create', 'bridge', 'x'], /^kvmnet: kind: "bridge" is not a network kind/m],
  [['create', 'NAT', 'x'], /^kvmnet: kind: "NAT" is not a network kind/m],
  [['create', 'nat', 'x', '--backend', 'qemu'], /^kvmnet: --backend must be "libvirt"/m],
  [['create', 'nat', 'x', '--mtu', '0'], /^kvmnet: --mtu: 0 is below 68/m],
  [['create', 'nat', 'x', '--mtu', '70000'], /^kvmnet: --mtu: 70000 is above 65535/m],
  [['create', 'nat', 'x', '--mtu', '15x0'], /^kvmnet: --mtu: "15x0" is not a whole number/m],
  [['create', 'nat', 'x', '--mtu', '1200', '--ipv6'], /^kvmnet: --mtu: 1200 is below 1280, the smallest MTU IPv6 allows/m],
  [['create', 'nat', 'x', '--domain', 'bad domain'], /^kvmnet: --domain: "bad domain" is not a DNS domain/m],
  [['create', 'nat', 'x', '--domain', '-lab.internal'], /^kvmnet: --domain: "-lab\.internal" is not a DNS domain/m],
  [['create', 'nat', 'x', '--ipv6', 'fd00:1::/48'], /^kvmnet: --ipv6 subnet: fd00:1::\/48 must be a \/64/m],
  [['create', 'nat', 'x', '--proxy-arp'], /^kvmnet: --proxy-arp: proxy ARP is only for routed networks/m],
  [['create', 'routed', 'x', '--proxy-arp'], /^kvmnet: --uplink is required for proxy ARP/m],
  [['create', 'routed', 'x', '--proxy-arp', '--uplink', 'br-foreign'], /^kvmnet: --uplink: "br-foreign" has no IPv4 address, so there is no LAN subnet to share/m],
  [['create', 'routed', 'x', '--proxy-arp', '--uplink', 'eth0', '--backend', 'libvirt'], /^kvmnet: --backend: "libvirt" cannot run a proxy-ARP network/m],
  [['create', 'routed', 'x', '--proxy-arp', '--uplink', 'eth0', '--subnet', '10.80.50.0/28'], /^kvmnet: --subnet: 10\.80\.50\.0\/28 is not inside 192\.168\.50\.0\/24, the LAN of eth0/m],
  [['create', 'routed', 'x', '--proxy-arp', '--uplink', 'eth0', '--subnet', '192.168.50.0/24'], /^kvmnet: --subnet: 192\.168\.50\.0\/24 is the whole LAN of eth0/m],
  [['create', 'routed', 'x', '--proxy-arp', '--uplink', 'eth0', '--subnet', '192.168.50.0/28'], /^kvmnet: --subnet: 192\.168\.50\.0\/28 holds 192\.168\.50\.2, this host's own address on eth0/m],
  [['create', 'routed', 'x', '--proxy-arp', '--uplink', 'eth0', '--subnet', '192.168.50.0/30'], /^kvmnet: --subnet: 192\.168\.50\.0\/30 holds 192\.168\.50\.1, the LAN's default gateway/m],
  [['delete', 'nosuch'], /^kvmnet: name: "nosuch" is not a KVMNet network on this host/m],
  [['start', 'nosuch'], /^kvmnet: name: "nosuch" is not a KVMNet network on this host/m],
  [['stop', 'a;reboot'], /^kvmnet: name: "a;reboot": network name may use only/m],
  [['delete', 'default'], /^kvmnet: name: "default" is a libvirt network KVMNet did not create/m],
  [['stop', 'default'], /^kvmnet: name: "default" is a libvirt network KVMNet did not create/m],
];

describe.skipIf(skip)('kvmnet refuses bad requests in a lab: exit 2, the field named, the host unchanged', () => {
  let cli: CliLab;
  let before: Awaited<ReturnType<CliLab['state']>>;
  beforeAll(async () => {
    cli = await startCliLab({ libvirtd: true });
    const virsh = (...args: string[]) => cli.lab.sh('virsh', ['-c', 'qemu:///system', ...args]);
    await cli.lab.sh('sh', ['-c', 'cat > /run/default.xml'], {
      input: "<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>",
    });
    await virsh('net-define', '/run/default.xml');
    await virsh('net-start', 'default');
    await cli.lab.sh('mkdir', ['-p', '/etc/kvmnet/networks']);
    await cli.lab.sh('sh', ['-c', 'cat > /etc/kvmnet/networks/other.json'], { input: JSON.stringify(OTHER_RECORD) });
    await cli.settle();
    before = await cli.state();
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
  });

  it(`has at least 30 refusals to check (${REFUSED.length})`, () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(30);
  });

  it.each(REFUSED)('kvmnet %j', async (argv, message) => {
    const r = await cli.kvmnet(...argv);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(await cli.state()).toEqual(before);
  });

  it('--dry-run of a create prints the commands and the libvirt XML and changes nothing', async () => {
    const libvirt = await cli.kvmnet('create', 'nat', 'dry', '--backend', 'libvirt', '--dry-run');
    expect(libvirt.exitCode, libvirt.stderr).toBe(0);
    expect(libvirt.stdout).toContain("virsh -c qemu:///system net-define /dev/stdin <<'KVMNET_EOF'");
    expect(libvirt.stdout).toMatch(/<network>\n {2}<name>dry<\/name>/);
    expect(libvirt.stdout).toContain('virsh -c qemu:///system net-start dry');

    const direct = await cli.kvmnet('create', 'routed', 'dry', '--backend', 'direct', '--uplink', 'eth0', '--dry-run');
    expect(direct.exitCode, direct.stderr).toBe(0);
    expect(direct.stdout).toContain('ip link add name kv-dry type bridge');
    // libvirt's default network turned forwarding on already: the only sysctl turns IPv6 off on the new bridge
    expect(direct.stdout.split('\n').filter((l) => l.includes('sysctl'))).toEqual(['sysctl -w net/ipv6/conf/kv-dry/disable_ipv6=1']);
    expect(direct.stdout).toContain('table inet kvmnet {');
    expect(direct.stdout).toContain('dnsmasq --conf-file=/run/kvmnet/dnsmasq/dry.conf');

    // proxy ARP: a slice at the top of the LAN, proxy_arp on the uplink, no masquerade
    const proxy = await cli.kvmnet('create', 'routed', 'dry', '--uplink', 'eth0', '--proxy-arp', '--dry-run');
    expect(proxy.exitCode, proxy.stderr).toBe(0);
    expect(proxy.stdout).toContain('ip address add 192.168.50.241/28 dev kv-dry');
    expect(proxy.stdout.split('\n').filter((l) => l.includes('sysctl'))).toEqual(['sysctl -w net/ipv6/conf/kv-dry/disable_ipv6=1', 'sysctl -w net/ipv4/conf/eth0/proxy_arp=1']);
    expect(proxy.stdout).not.toContain('masquerade');
    expect(proxy.stderr).toContain("kvmnet: warning: 192.168.50.240/28 must lie outside the DHCP pool of the LAN's router");

    const deletion = await cli.kvmnet('delete', 'other', '--dry-run');
    expect(deletion.exitCode, deletion.stderr).toBe(0);
    expect(deletion.stdout).toContain('rm -f /etc/kvmnet/networks/other.json');
    expect(await cli.state()).toEqual(before);
  });
});
