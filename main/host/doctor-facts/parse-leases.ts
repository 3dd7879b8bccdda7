import { z } from 'zod';
import type { Lease } from '../../core/doctor/doctor-facts';
import { MAC_PATTERN } from '../../core/attach/mac';

/** dnsmasq's lease file: "EXPIRY MAC IP HOSTNAME CLIENT-ID" a line, "*" for an unknown hostname; DHCPv6 lines carry no MAC */
export function parseDnsmasqLeases(text: string, network: string): Lease[] {
  return text.split('\n').flatMap((line) => {
    const [, mac, ip, hostname] = line.trim().split(/\s+/);
    if (mac === undefined || ip === undefined || !MAC_PATTERN.test(mac.toLowerCase())) return [];
    return [{ network, mac, ip, ...(hostname !== undefined && hostname !== '*' && { hostname }) }];
  });
}

const LibvirtStatusEntry = z.object({ 'ip-address': z.string(), 'mac-address': z.string().optional(), hostname: z.string().optional() });

/** libvirt's /var/lib/libvirt/dnsmasq/<bridge>.status: a JSON array its lease helper keeps */
export function parseLibvirtLeaseStatus(text: string, network: string): Lease[] {
  if (text.trim() === '') return [];
  return z.array(LibvirtStatusEntry).parse(JSON.parse(text)).flatMap((e) =>
    e['mac-address'] === undefined ? [] : [{ network, mac: e['mac-address'], ip: e['ip-address'], ...(e.hostname !== undefined && { hostname: e.hostname }) }],
  );
}
