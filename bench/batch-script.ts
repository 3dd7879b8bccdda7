import type { BenchNetwork } from './bench-network';
import { command, type Command } from './command';
import { dnsmasqCommand } from './hand-typed';

/**
 * The fastest honest hand-written equivalent: links and addresses in one `ip -batch -`, the two
 * sysctls (IPv6 off on the bridge, as KVMNet and libvirt do; ip_forward on) in one `sysctl`, the
 * firewall in one atomic `nft -f -` with exactly the rules of KVMNet's table for this network (in
 * a table of its own), then dnsmasq.
 */
export const BATCH_PID_FILE = '/run/kvmnet-bench/batch-dnsmasq.pid';

export const batchScriptCreate = (net: BenchNetwork): Command[] => [
  command('ip', ['-batch', '-'], `link add ${net.bridge} type bridge\naddr add ${net.hostAddress} dev ${net.bridge}\nlink set ${net.bridge} up\n`),
  command('sysctl', ['-w', `net.ipv6.conf.${net.bridge}.disable_ipv6=1`, 'net.ipv4.ip_forward=1']),
  command('nft', ['-f', '-'], net.ruleset),
  dnsmasqCommand(net, BATCH_PID_FILE),
];

export const batchScriptDelete = (net: BenchNetwork, dnsmasqPid: number): Command[] => [
  command('kill', [String(dnsmasqPid)]),
  command('nft', ['-f', '-'], `delete table ${net.table}\n`),
  command('sysctl', ['-w', 'net.ipv4.ip_forward=0']),
  command('ip', ['link', 'del', net.bridge]),
];
