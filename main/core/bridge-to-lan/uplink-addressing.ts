import { z } from 'zod';
import { InterfaceName } from '../names';
import { LowerCaseMac } from '../attach/mac';
import { AddressWithPrefix } from '../network/address-schemas';

const Address = z.string().max(45).regex(/^[0-9a-fA-F:.]+$/);
/** seconds, or forever */
const Lifetime = z.union([z.number().int().min(0), z.literal('forever')]);

/**
 * An address as the runtime move carries it: with its lifetimes, so an address a DHCP client got
 * still expires when its lease would (the bridge must renew it, not keep it forever).
 */
export const MovedAddress = z.object({
  cidr: AddressWithPrefix,
  validLft: Lifetime,
  preferredLft: Lifetime,
}).strict();
export type MovedAddress = z.infer<typeof MovedAddress>;

/** A route that was not made by the kernel for an address: it has to be moved by hand. */
export const MovedRoute = z.object({
  family: z.enum(['inet', 'inet6']),
  /** "default" or ADDRESS/PREFIX */
  dst: z.union([z.literal('default'), AddressWithPrefix]),
  gateway: Address.optional(),
  metric: z.number().int().min(0).optional(),
  /** boot, static, dhcp, ra … as ip prints it */
  protocol: z.string().regex(/^[a-z0-9]{1,16}$/).optional(),
  scope: z.enum(['global', 'link', 'host']).optional(),
  src: Address.optional(),
}).strict();
export type MovedRoute = z.infer<typeof MovedRoute>;

/**
 * What makes the uplink the host's LAN connection, read from the kernel before a runtime bridge
 * takes it over (no NetworkManager, no networkd): the bridge gets all of it, and delete or a
 * rollback puts all of it back on the NIC.
 */
export const UplinkAddressing = z.object({
  uplink: InterfaceName,
  mac: LowerCaseMac,
  mtu: z.number().int().min(68).max(65535),
  addresses: z.array(MovedAddress).max(64),
  routes: z.array(MovedRoute).max(256),
}).strict();
export type UplinkAddressing = z.infer<typeof UplinkAddressing>;

/**
 * the route as `ip route` words on `dev`, for `ip -batch` (whose lines take no -4/-6): the family
 * shows in the destination, so a default route is written as 0.0.0.0/0 or ::/0
 */
export function routeWords(route: MovedRoute, dev: string): string[] {
  const dst = route.dst === 'default' ? (route.family === 'inet6' ? '::/0' : '0.0.0.0/0') : route.dst;
  return [
    'route', 'replace', dst,
    ...(route.gateway ? ['via', route.gateway] : []),
    'dev', dev,
    ...(route.metric === undefined ? [] : ['metric', String(route.metric)]),
    ...(route.protocol ? ['proto', route.protocol] : []),
    ...(route.scope && route.scope !== 'global' ? ['scope', route.scope] : []),
    ...(route.src ? ['src', route.src] : []),
  ];
}

/** the address as `ip address add` words, on `dev` */
export function addressWords(address: MovedAddress, dev: string): string[] {
  const lifetimes = address.validLft === 'forever' ? [] : ['valid_lft', String(address.validLft), 'preferred_lft', String(address.preferredLft)];
  return ['address', 'replace', address.cidr, 'dev', dev, ...lifetimes];
}
