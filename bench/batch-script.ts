import type { BenchNetwork } from './bench-network';
import { command, type Command } from './command';
import { dnsmasqCommand } from './hand-typed';

/**
 * The fastest honest hand-written equivalent: links and addresses in one `ip -batch -`, the
 * firewall in one atomic `nft -f -` (its own table, the same rules KVMNet's table holds for a NAT
 * network: DHCP/DNS in, established back in, out from the subnet, masquerade), the sysctl, dnsmasq.
 */
export const BATCH_PID_FILE = '/run/kvmnet-bench/batch-dnsmasq.pid';
const TABLE = 'ip kvmnet_bench';

function ruleset(net: BenchNetwork): string {
  const br = `"${net.bridge}"`;
  return `table ${TABLE} {
\tchain input {
\t\ttype filter hook input priority filter; policy accept;
\t\tiifname ${br} udp dport 67 accept
\t\tiifname ${br} meta l4proto { tcp, udp } th dport 53 accept
\t}
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t\toifname ${br} ip daddr ${net.subnet} ct state established,related accept
\t\toifname ${br} drop
\t\tiifname ${br} ip saddr ${net.subnet} accept
\t\tiifname ${br} drop
\t}
\tchain postrouting {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\tip saddr ${net.subnet} ip daddr 224.0.0.0/24 return
\t\tip saddr ${net.subnet} ip daddr 255.255.255.255 return
\t\tip saddr ${net.subnet} ip daddr != ${net.subnet} oifname != ${br} meta l4proto { tcp, udp } masquerade to :1024-65535
\t\tip saddr ${net.subnet} ip daddr != ${net.subnet} oifname != ${br} masquerade
\t}
}
`;
}

export const batchScriptCreate = (net: BenchNetwork): Command[] => [
  command('ip', ['-batch', '-'], `link add ${net.bridge} type bridge\naddr add ${net.hostAddress} dev ${net.bridge}\nlink set ${net.bridge} up\n`),
  command('nft', ['-f', '-'], ruleset(net)),
  command('sysctl', ['-w', 'net.ipv4.ip_forward=1']),
  dnsmasqCommand(net, BATCH_PID_FILE),
];

export const batchScriptDelete = (net: BenchNetwork, dnsmasqPid: number): Command[] => [
  command('kill', [String(dnsmasqPid)]),
  command('nft', ['-f', '-'], `delete table ${TABLE}\n`),
  command('sysctl', ['-w', 'net.ipv4.ip_forward=0']),
  command('ip', ['link', 'del', net.bridge]),
];
