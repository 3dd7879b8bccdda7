import ipaddr from 'ipaddr.js';

/**
 * Address blocks and the little arithmetic KVMNet needs on them (containment, overlap, the n-th
 * address). Parsing is ipaddr.js's; offsets use BigInt over its byte arrays so IPv4 and IPv6 share
 * one code path.
 */

export type IpFamily = 'ipv4' | 'ipv6';
export type IpAddr = ipaddr.IPv4 | ipaddr.IPv6;

export interface Cidr {
  readonly family: IpFamily;
  /** the first address of the block (host bits cleared) */
  readonly network: IpAddr;
  readonly prefix: number;
}

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/**
 * ipaddr.js alone also accepts '10.1', octal and hex IPv4 forms and IPv6 zone ids; nobody means
 * those in a network definition, and libvirt or the kernel would read some of them differently.
 */
export function parseAddress(text: string, family?: IpFamily): IpAddr | undefined {
  if (family !== 'ipv6' && ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (family !== 'ipv4' && !text.includes('%') && !text.includes('/') && ipaddr.IPv6.isValid(text)) {
    const v6 = ipaddr.IPv6.parse(text);
    return v6.isIPv4MappedAddress() ? undefined : v6;
  }
  return undefined;
}

export interface ParsedCidr {
  readonly cidr: Cidr;
  /** the text named an address inside the block (10.80.0.5/24) rather than the block itself */
  readonly hostBitsSet: boolean;
}

export function parseCidr(text: string, family?: IpFamily): ParsedCidr | undefined {
  if (family !== 'ipv6' && ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(text);
    return { cidr: { family: 'ipv4', network, prefix }, hostBitsSet: !sameAddress(address, network) };
  }
  if (family !== 'ipv4' && !text.includes('%') && ipaddr.IPv6.isValidCIDR(text)) {
    const [address, prefix] = ipaddr.IPv6.parseCIDR(text);
    const network = ipaddr.IPv6.networkAddressFromCIDR(text);
    return { cidr: { family: 'ipv6', network, prefix }, hostBitsSet: !sameAddress(address, network) };
  }
  return undefined;
}

/** a valid block whose text is exactly its network address and prefix, or undefined */
export function parseExactCidr(text: string, family?: IpFamily): Cidr | undefined {
  const parsed = parseCidr(text, family);
  return parsed && !parsed.hostBitsSet ? parsed.cidr : undefined;
}

/** the block an interface address such as 192.168.1.23/24 sits in */
export function blockOf(address: IpAddr, prefix: number): Cidr {
  const family = familyOf(address);
  const hostBits = BigInt(BITS[family] - prefix);
  const first = (toBigInt(address) >> hostBits) << hostBits;
  return { family, network: fromBigInt(family, first), prefix };
}

export const familyOf = (address: IpAddr): IpFamily => (address.kind() === 'ipv4' ? 'ipv4' : 'ipv6');

export const cidrText = (cidr: Cidr): string => `${cidr.network.toString()}/${cidr.prefix}`;

export const blockSize = (cidr: Cidr): bigint => 1n << BigInt(BITS[cidr.family] - cidr.prefix);

export function contains(cidr: Cidr, address: IpAddr): boolean {
  return familyOf(address) === cidr.family && address.match(cidr.network, cidr.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && (contains(a, b.network) || contains(b, a.network));
}

/** the address `offset` places after the block's first one; negative offsets count back from its last */
export function addressAt(cidr: Cidr, offset: bigint): IpAddr {
  const index = offset >= 0n ? offset : blockSize(cidr) + offset;
  if (index < 0n || index >= blockSize(cidr)) throw new RangeError(`offset ${offset} is outside ${cidrText(cidr)}`);
  return fromBigInt(cidr.family, toBigInt(cidr.network) + index);
}

export const lastAddress = (cidr: Cidr): IpAddr => addressAt(cidr, -1n);

export function compareAddresses(a: IpAddr, b: IpAddr): number {
  const x = toBigInt(a);
  const y = toBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sameAddress(a: IpAddr, b: IpAddr): boolean {
  return familyOf(a) === familyOf(b) && compareAddresses(a, b) === 0;
}

/** b − a, as a count of addresses */
export const addressDistance = (a: IpAddr, b: IpAddr): bigint => toBigInt(b) - toBigInt(a);

/** a + delta within the same family (delta may be negative) */
export function shiftAddress(address: IpAddr, delta: bigint): IpAddr {
  return fromBigInt(familyOf(address), toBigInt(address) + delta);
}

/** the next block of the same size right after this one, or undefined past the end of the family */
export function nextBlock(cidr: Cidr): Cidr | undefined {
  const next = toBigInt(cidr.network) + blockSize(cidr);
  if (next >= 1n << BigInt(BITS[cidr.family])) return undefined;
  return { family: cidr.family, network: fromBigInt(cidr.family, next), prefix: cidr.prefix };
}

export const netmaskOf = (prefix: number): string => ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString();

/** prefix length from a dotted netmask such as 255.255.255.0, or undefined when it is not contiguous */
export function prefixFromNetmask(netmask: string): number | undefined {
  const mask = parseAddress(netmask, 'ipv4');
  return mask?.prefixLengthFromSubnetMask() ?? undefined;
}

function toBigInt(address: IpAddr): bigint {
  return address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

function fromBigInt(family: IpFamily, value: bigint): IpAddr {
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < BITS[family] / 8; i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return ipaddr.fromByteArray(bytes);
}
