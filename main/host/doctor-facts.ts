import { DoctorFacts } from '../core/doctor/doctor-facts';
import { observeHost } from './observe';
import { readProxyArp } from './read-proxy-arp-facts';
import { readOptional } from './doctor-facts/host-files';
import { parseCpuVirtualization, readDevices } from './doctor-facts/read-devices';
import { readFirewall } from './doctor-facts/read-firewall';
import { readDnsmasq, readLeases, readRecords } from './doctor-facts/read-kvmnet-state';
import { readLibvirtFacts } from './doctor-facts/read-libvirt-facts';
import { readNetworkManager } from './doctor-facts/read-network-manager';
import { readSysctls } from './doctor-facts/read-sysctls';
import { readDoctorUser } from './doctor-facts/read-user';

/**
 * One read of everything the doctor's checks need, side by side. Read-only: it stats device
 * nodes instead of opening them, lists firewalls only when root (and never loads a legacy
 * iptables table that does not exist yet), and runs no VM. Every part tolerates a missing tool.
 */
export async function readDoctorFacts(): Promise<DoctorFacts> {
  const root = process.getuid?.() === 0;
  const [user, devices, cpuinfo, sysctls, firewall, snapshot, records, networkManager] = await Promise.all([
    readDoctorUser(),
    readDevices(),
    readOptional('/proc/cpuinfo'),
    readSysctls(),
    readFirewall(root),
    observeHost(),
    readRecords(),
    readNetworkManager(),
  ]);
  const libvirt = await readLibvirtFacts(snapshot);
  const uplinks = [...new Set(records.records.flatMap(({ spec }) => (spec.proxyArp && spec.uplink !== undefined ? [spec.uplink] : [])))];
  const [dnsmasq, leases, proxyArp] = await Promise.all([
    Promise.all(records.records.map((r) => readDnsmasq(r.spec.name))),
    readLeases(records.records, libvirt.networks),
    readProxyArp(uplinks),
  ]);
  return DoctorFacts.parse({
    user,
    root,
    cpuVirtualization: parseCpuVirtualization(cpuinfo ?? ''),
    devices,
    sysctls,
    firewall,
    libvirt,
    snapshot,
    ...records,
    dnsmasq,
    leases,
    networkManager,
    proxyArp,
  });
}
