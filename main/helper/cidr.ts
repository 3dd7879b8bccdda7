import ipaddr from 'ipaddr.js';

/**
 * Addresses as the kernel stores them. The protocol schema only checks the ADDRESS/PREFIX shape;
 * the helper must also reject what `ip` would refuse while parsing (it exits without saying which
 * batch line failed) and compare addresses in the kernel's canonical spelling.
 */
export interface ParsedCidr {
  family: 'inet' | 'inet6';
  /** canonical ADDRESS/PREFIX, e.g. fd00::1/64 for fd00:0::1/64 */
  cidr: string;
}

export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    const canonical = ipaddr.IPv4.parse(address).toString();
    // leading zeros are read as octal by some parsers and refused by others: accept only the plain form
    if (canonical !== address || prefix > 32) return undefined;
    return { family: 'inet', cidr: `${canonical}/${prefix}` };
  }
  if (address.includes(':') && ipaddr.IPv6.isValid(address)) {
    if (prefix > 128) return undefined;
    return { family: 'inet6', cidr: `${ipaddr.IPv6.parse(address).toString()}/${prefix}` };
  }
  return undefined;
}

/** The canonical form, or the text unchanged when it is not an address (compares as unequal). */
export const canonicalCidr = (text: string): string => parseCidr(text)?.cidr ?? text;
