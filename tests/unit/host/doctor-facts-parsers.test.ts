import { describe, expect, it } from 'vitest';
import { parseActiveZones } from '../../../main/host/doctor-facts/parse-firewalld-zones';
import { parseDnsmasqLeases, parseLibvirtLeaseStatus } from '../../../main/host/doctor-facts/parse-leases';
import { parseFirewallBackend } from '../../../main/host/doctor-facts/parse-libvirt-network-conf';
import { parseNmcliDevices } from '../../../main/host/doctor-facts/parse-nmcli-devices';
import { parseCpuVirtualization, parseGroupNames } from '../../../main/host/doctor-facts/read-devices';

describe('parseNmcliDevices', () => {
  it('splits terse fields and unescapes colons and backslashes', () => {
    // as printed by `nmcli -t -f DEVICE,STATE,CONNECTION device` in a lab with NetworkManager
    const output = 'lo:connected (externally):lo\nkvnm0:connected:kvnm0\nwlan0:connected:Café\\: 5\\\\GHz\nkvtap0:unmanaged:\n';
    expect(parseNmcliDevices(output)).toEqual([
      { device: 'lo', state: 'connected (externally)', connection: 'lo' },
      { device: 'kvnm0', state: 'connected', connection: 'kvnm0' },
      { device: 'wlan0', state: 'connected', connection: 'Café: 5\\GHz' },
      { device: 'kvtap0', state: 'unmanaged', connection: '' },
    ]);
  });
});

describe('parseActiveZones', () => {
  it('maps each interface to its zone, ignoring sources and the "(default)" mark', () => {
    const output = 'libvirt\n  interfaces: virbr0 virbr1\npublic (default)\n  interfaces: eth0\ntrusted\n  sources: 10.9.0.0/16\n';
    expect(parseActiveZones(output)).toEqual({ virbr0: 'libvirt', virbr1: 'libvirt', eth0: 'public' });
  });
});

describe('lease files', () => {
  it('reads dnsmasq lease lines, skipping DHCPv6 lines and unknown host names', () => {
    const text = '1700000000 52:54:00:aa:bb:02 10.80.0.150 db 01:52:54:00:aa:bb:02\n1700000100 52:54:00:12:34:56 10.80.0.151 * *\nduid 00:01:00:01:2c:aa\n1700000200 1234567 fd00::5 web 00:01\n';
    expect(parseDnsmasqLeases(text, 'lab')).toEqual([
      { network: 'lab', mac: '52:54:00:aa:bb:02', ip: '10.80.0.150', hostname: 'db' },
      { network: 'lab', mac: '52:54:00:12:34:56', ip: '10.80.0.151' },
    ]);
  });

  it('reads libvirt’s status JSON, and an empty file as no leases', () => {
    const text = JSON.stringify([{ 'ip-address': '192.168.122.20', 'mac-address': '52:54:00:aa:bb:01', hostname: 'web', 'expiry-time': 1700000000 }, { 'ip-address': 'fd00::9', iaid: '1', 'expiry-time': 1 }]);
    expect(parseLibvirtLeaseStatus(text, 'default')).toEqual([{ network: 'default', mac: '52:54:00:aa:bb:01', ip: '192.168.122.20', hostname: 'web' }]);
    expect(parseLibvirtLeaseStatus('', 'default')).toEqual([]);
  });
});

describe('parseFirewallBackend', () => {
  it('reads firewall_backend, and null when it is commented out or absent', () => {
    expect(parseFirewallBackend('# firewall_backend = "iptables"\nfirewall_backend = "nftables"\n')).toBe('nftables');
    expect(parseFirewallBackend('#firewall_backend = "iptables"\n')).toBeNull();
    expect(parseFirewallBackend('')).toBeNull();
  });
});

describe('device helpers', () => {
  it('names groups from /etc/group', () => {
    expect(parseGroupNames('root:x:0:\nkvm:x:107:alice,bob\nbroken line\n')).toEqual(new Map([[0, 'root'], [107, 'kvm']]));
  });

  it('finds vmx or svm among the CPU flags', () => {
    expect(parseCpuVirtualization('processor\t: 0\nflags\t\t: fpu vme de pse vmx ept\n')).toBe('vmx');
    expect(parseCpuVirtualization('flags\t\t: fpu svm npt\n')).toBe('svm');
    expect(parseCpuVirtualization('flags\t\t: fpu hypervisor\n')).toBeNull();
  });
});
