import { parseLibvirtNetworkXml } from '../../core/render/libvirt-network-xml';
import type { DoctorFacts, LibvirtNetworkFacts } from '../../core/doctor/doctor-facts';
import type { HostSnapshot } from '../../core/host-snapshot';
import { LIBVIRT_PROBE_TIMEOUT_MS, virshArgs } from '../read-libvirt';
import { explainVirshFailure } from '../virsh-failure';
import { pathExists, readOptional, toolInstalled } from './host-files';
import { parseFirewallBackend } from './parse-libvirt-network-conf';
import { runTool, type ToolResult } from './run-tool';

type LibvirtFacts = DoctorFacts['libvirt'];

const READ_TIMEOUT_MS = 5000;
const NETWORK_CONF = '/etc/libvirt/network.conf';
const FIREWALLD_ZONE_FILES = ['/usr/lib/firewalld/zones/libvirt.xml', '/etc/firewalld/zones/libvirt.xml'];

function classify(r: Extract<ToolResult, { ok: false }>): NonNullable<LibvirtFacts['failure']> {
  if (r.timedOut) return 'timeout';
  if (/Failed to connect socket|Connection refused/i.test(r.stderr)) return 'not-running';
  if (/Permission denied|authentication (failed|unavailable)/i.test(r.stderr)) return 'permission';
  return 'other';
}

/** one libvirtd (Debian, Ubuntu) or split daemons (Fedora, openSUSE), by what is installed and enabled */
async function readDaemon(): Promise<LibvirtFacts['daemon']> {
  const [monolithic, modular, modularEnabled] = await Promise.all([
    pathExists('/usr/sbin/libvirtd'),
    pathExists('/usr/sbin/virtqemud'),
    pathExists('/etc/systemd/system/sockets.target.wants/virtqemud.socket'),
  ]);
  if (modular && (modularEnabled || !monolithic)) return 'modular';
  return monolithic ? 'monolithic' : null;
}

/** the snapshot lists the networks; their addresses and DHCP come from each one's XML */
async function readNetwork(network: HostSnapshot['libvirt']['networks'][number]): Promise<LibvirtNetworkFacts | undefined> {
  const r = await runTool('virsh', virshArgs(['net-dumpxml', network.name]), READ_TIMEOUT_MS);
  if (!r.ok) return undefined;
  const parsed = parseLibvirtNetworkXml(r.stdout);
  return {
    name: network.name,
    active: network.active,
    managedByKvmnet: network.managedByKvmnet,
    ...(parsed.forwardMode !== undefined && { forwardMode: parsed.forwardMode }),
    ...(parsed.bridge !== undefined && { bridge: parsed.bridge }),
    ...(parsed.uplink !== undefined && { uplink: parsed.uplink }),
    subnets: [parsed.ipv4?.subnet, parsed.ipv6?.subnet, ...parsed.additionalSubnets].filter((s): s is string => s !== undefined),
    dhcp: parsed.dhcp !== null || parsed.ipv6?.dhcp != null,
  };
}

export async function readLibvirtFacts(snapshot: HostSnapshot): Promise<LibvirtFacts> {
  const [installed, daemon, conf, zoneFiles] = await Promise.all([
    toolInstalled('virsh'),
    readDaemon(),
    readOptional(NETWORK_CONF),
    Promise.all(FIREWALLD_ZONE_FILES.map(pathExists)),
  ]);
  const common = { installed, daemon, firewallBackend: conf === undefined ? null : parseFirewallBackend(conf), firewalldZoneInstalled: zoneFiles.includes(true) };
  if (!snapshot.libvirt.available) {
    // the snapshot says why in words; one more probe tells which kind of failure picks the fix
    const probe = installed ? await runTool('virsh', virshArgs(['net-list', '--name']), LIBVIRT_PROBE_TIMEOUT_MS) : undefined;
    const failure = probe && !probe.ok ? classify(probe) : undefined;
    const reason = probe && !probe.ok ? explainVirshFailure({ stderr: probe.stderr, timedOut: probe.timedOut }, LIBVIRT_PROBE_TIMEOUT_MS) : snapshot.libvirt.reason;
    return { ...common, reachable: false, ...(failure && { failure }), ...(reason !== undefined && { reason }), networks: [] };
  }
  const networks = await Promise.all(snapshot.libvirt.networks.map((n) => readNetwork(n).catch(() => undefined)));
  return { ...common, reachable: true, networks: networks.filter((n): n is LibvirtNetworkFacts => n !== undefined) };
}
