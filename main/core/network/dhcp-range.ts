import { addressAt, addressDistance, blockSize, compareAddresses, shiftAddress, type Cidr, type IpAddr } from './cidr';

export interface AddressRange {
  readonly start: IpAddr;
  readonly end: IpAddr;
}

/**
 * The DHCP range KVMNet proposes, as virt-manager's network wizard does: the upper half of an IPv4
 * subnet (…128–…254 in a /24), which leaves the lower half for guests with static addresses; for
 * IPv6, the 256 addresses from ::100 to ::1ff. Where the gateway falls inside that, the larger
 * part of the subnet on either side of the gateway is used instead.
 */
export function defaultDhcpRange(subnet: Cidr, gateway: IpAddr): AddressRange | undefined {
  const usable = usableHosts(subnet);
  const preferred: AddressRange =
    subnet.family === 'ipv4'
      ? { start: addressAt(subnet, blockSize(subnet) / 2n), end: usable.end }
      : { start: addressAt(subnet, 0x100n), end: addressAt(subnet, 0x1ffn) };
  return avoiding(preferred, gateway) ?? avoiding(usable, gateway);
}

/** Addresses a host may hold: not the network address, and for IPv4 not the broadcast address. */
export function usableHosts(subnet: Cidr): AddressRange {
  return { start: addressAt(subnet, 1n), end: subnet.family === 'ipv4' ? addressAt(subnet, -2n) : addressAt(subnet, -1n) };
}

export const inRange = (range: AddressRange, a: IpAddr): boolean =>
  compareAddresses(range.start, a) <= 0 && compareAddresses(a, range.end) <= 0;

function avoiding(range: AddressRange, gateway: IpAddr): AddressRange | undefined {
  if (compareAddresses(range.start, range.end) > 0) return undefined;
  if (!inRange(range, gateway)) return range;
  const below: AddressRange = { start: range.start, end: shiftAddress(gateway, -1n) };
  const above: AddressRange = { start: shiftAddress(gateway, 1n), end: range.end };
  // a negative length marks an empty side (the gateway sat at that end)
  const length = (r: AddressRange) => addressDistance(r.start, r.end);
  const best = length(above) >= length(below) ? above : below;
  return length(best) < 0n ? undefined : best;
}
