import { addressAt, parseExactCidr } from '../../../main/core/network/cidr';

/** An address a guest of the subnet could have, for placeholders: the 50th (or the last but one of a small subnet). */
export function guestExample(subnet: string): string {
  const cidr = parseExactCidr(subnet, 'ipv4');
  if (!cidr) return '10.0.0.50';
  const size = 2n ** BigInt(32 - cidr.prefix);
  return addressAt(cidr, size > 52n ? 50n : -2n).toString();
}
