import type { BenchNetwork } from './bench-network';
import { command, type Command } from './command';

/**
 * The seeds' recipe as a user types it, one process per line (brctl is not installed, so
 * `ip link add … type bridge` stands in for `brctl addbr`). dnsmasq gets the flags KVMNet's own
 * configuration uses, so both serve the same DHCP and DNS.
 */
export const HAND_PID_FILE = '/run/kvmnet-bench/hand-dnsmasq.pid';

const forwardRules = (net: BenchNetwork, verb: '-A' | '-D'): Command[] => [
  command('iptables', ['-t', 'nat', verb, 'POSTROUTING', '-s', net.subnet, '!', '-d', net.subnet, '-j', 'MASQUERADE']),
  command('iptables', [verb, 'FORWARD', '-i', net.bridge, '-s', net.subnet, '-j', 'ACCEPT']),
  command('iptables', [verb, 'FORWARD', '-o', net.bridge, '-d', net.subnet, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT']),
];

export function dnsmasqCommand(net: BenchNetwork, pidFile: string): Command {
  return command('dnsmasq', [
    `--interface=${net.bridge}`, '--except-interface=lo', '--bind-dynamic', '--strict-order',
    `--dhcp-range=${net.dhcpStart},${net.dhcpEnd},${net.netmask},1h`, `--pid-file=${pidFile}`,
    `--dhcp-leasefile=/run/kvmnet-bench/${net.name}.leases`, '--dhcp-no-override', '--dhcp-authoritative',
  ]);
}

export const handTypedCreate = (net: BenchNetwork): Command[] => [
  command('ip', ['link', 'add', net.bridge, 'type', 'bridge']),
  command('ip', ['addr', 'add', net.hostAddress, 'dev', net.bridge]),
  command('ip', ['link', 'set', net.bridge, 'up']),
  command('sysctl', ['-w', 'net.ipv4.ip_forward=1']),
  ...forwardRules(net, '-A'),
  dnsmasqCommand(net, HAND_PID_FILE),
];

/** the recipe undone, as the same user would: `kill $(cat pidfile)` first, forwarding back off last but one */
export const handTypedDelete = (net: BenchNetwork, dnsmasqPid: number): Command[] => [
  command('kill', [String(dnsmasqPid)]),
  ...forwardRules(net, '-D'),
  command('sysctl', ['-w', 'net.ipv4.ip_forward=0']),
  command('ip', ['link', 'del', net.bridge]),
];
