import { z } from 'zod';
import { parseAddress, parseCidr, type IpFamily } from './cidr';

/**
 * Addresses and subnets as text, checked by family, with messages that show how to write them.
 * Their own module so that models built on them (port forwards, reservations) can also be parts of
 * NetworkSpec without an import cycle.
 */

const FAMILY_EXAMPLE: Record<IpFamily, { address: string; subnet: string; word: string }> = {
  ipv4: { address: '10.80.0.1', subnet: '10.80.0.0/24', word: 'IPv4' },
  ipv6: { address: 'fd5a:c0de:80::1', subnet: 'fd5a:c0de:80::/64', word: 'IPv6' },
};

export const ipAddress = (family: IpFamily) => {
  const { word, address } = FAMILY_EXAMPLE[family];
  return z
    .string({ error: `must be an ${word} address written as text, e.g. ${address}` })
    .refine((s) => parseAddress(s, family) !== undefined, {
      error: (issue) => `"${String(issue.input)}" is not an ${word} address; write it like ${address}`,
    });
};

export const ipSubnet = (family: IpFamily) => {
  const { word, subnet } = FAMILY_EXAMPLE[family];
  return z
    .string({ error: `must be an ${word} subnet written as ADDRESS/PREFIX, e.g. ${subnet}` })
    .superRefine((s, ctx) => {
      const parsed = parseCidr(s, family);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: `"${s}" is not an ${word} subnet; write it as ADDRESS/PREFIX like ${subnet}` });
      } else if (parsed.hostBitsSet) {
        const exact = `${parsed.cidr.network.toString()}/${parsed.cidr.prefix}`;
        ctx.addIssue({ code: 'custom', message: `"${s}" names an address inside a subnet; write the subnet itself: ${exact}` });
      }
    });
};

/**
 * An address on an interface with its prefix, either family, host bits allowed (10.80.0.1/24), in
 * the shape `ip addr` takes; the helper checks the address itself (helper/cidr.ts) before `ip` runs.
 */
export const AddressWithPrefix = z
  .string()
  .max(64)
  .regex(/^[0-9a-fA-F:.]+\/[0-9]{1,3}$/, { message: 'address must be written as ADDRESS/PREFIX, e.g. 10.80.0.1/24' });

export const Ipv4Address = ipAddress('ipv4');
export const Ipv4Subnet = ipSubnet('ipv4');
export const Ipv6Address = ipAddress('ipv6');
export const Ipv6Subnet = ipSubnet('ipv6');
