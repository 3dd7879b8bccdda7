import { z } from 'zod';

/**
 * Interface names KVMNet creates or touches. The kernel allows any 1–15 bytes without '/', ':' or
 * whitespace; we accept a stricter set so a name can never be read as an option (leading '-') or
 * carry shell or path metacharacters into a command line, a file name or a log.
 */
export const IFNAME_MAX_BYTES = 15;
export const InterfaceName = z
  .string()
  .min(1, 'interface name is empty; use 1–15 characters such as kvbr0')
  .refine((s) => new TextEncoder().encode(s).length <= IFNAME_MAX_BYTES, {
    message: `interface name is longer than ${IFNAME_MAX_BYTES} bytes (the kernel limit); shorten it`,
  })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    message: 'interface name may use only letters, digits, ".", "_" and "-", and must start with a letter or digit',
  })
  .refine((s) => s !== '.' && s !== '..', { message: 'interface name cannot be "." or ".."' });
export type InterfaceName = z.infer<typeof InterfaceName>;

/** Network names end up in libvirt names, file names under /etc/kvmnet and link aliases. */
export const NetworkName = z
  .string()
  .min(1, 'network name is empty; use 1–32 characters such as lab or dev-nat')
  .max(32, 'network name is longer than 32 characters; shorten it')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
    message: 'network name may use only letters, digits, "_" and "-", and must start with a letter or digit',
  });
export type NetworkName = z.infer<typeof NetworkName>;

/** Links KVMNet creates carry this alias; the helper refuses to touch links without it. */
export const OWNER_ALIAS_PREFIX = 'kvmnet:';
export const ownerAlias = (network: NetworkName): string => `${OWNER_ALIAS_PREFIX}${network}`;
export const ownerFromAlias = (alias: string | undefined | null): NetworkName | undefined =>
  alias?.startsWith(OWNER_ALIAS_PREFIX) ? alias.slice(OWNER_ALIAS_PREFIX.length) : undefined;
