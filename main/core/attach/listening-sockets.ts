/**
 * Sockets listening on this host, read from `ss -H -ltnu` (both -t and -u, so that ss prints its
 * Netid column; -n, so ports are numbers). A port forward must not take a port a host service
 * listens on: its DNAT would steal that service's connections.
 */

export type TransportProto = 'tcp' | 'udp';

export interface ListeningSocket {
  readonly proto: TransportProto;
  /** the bound address without brackets or %interface; "*" for all addresses */
  readonly address: string;
  readonly port: number;
}

/** `ss -H -ltnu` lines: Netid State Recv-Q Send-Q Local:Port Peer:Port …; lines of other shapes are skipped */
export function parseListeningSockets(ssOutput: string): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of ssOutput.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const proto = fields[0];
    const local = fields[4];
    if ((proto !== 'tcp' && proto !== 'udp') || local === undefined) continue;
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    if (colon < 0 || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    const address = local.slice(0, colon).replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
    sockets.push({ proto, address, port });
  }
  return sockets;
}

const WILDCARDS = new Set(['*', '0.0.0.0', '::']);

export const isWildcardAddress = (address: string): boolean => WILDCARDS.has(address);

export const isLoopbackAddress = (address: string): boolean => address.startsWith('127.') || address === '::1';
