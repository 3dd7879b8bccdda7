import { z } from 'zod';
import { InterfaceName } from '../names';

/**
 * What a libvirt guest NIC plugs into: a libvirt network (KVMNet's libvirt backend, or a network
 * someone else defined such as "default"), or a host bridge directly (KVMNet's direct backend, a
 * bridge to the LAN).
 */

/**
 * libvirt allows almost any network name, but KVMNet puts it into virt-install's comma-separated
 * options and XML attributes: keep to characters that mean nothing there. KVMNet's own names
 * (NetworkName) all fit.
 */
export const LibvirtNetworkRef = z
  .string({ error: 'must be a libvirt network name written as text, e.g. default' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.+:-]{0,63}$/, {
    error: (i) => `"${String(i.input)}" is not a network name KVMNet can attach to; use up to 64 letters, digits, "_", ".", "+", ":" or "-", starting with a letter or digit (see virsh net-list --all)`,
  });

export const NicSource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('network'), network: LibvirtNetworkRef }),
  z.strictObject({ type: z.literal('bridge'), bridge: InterfaceName }),
], { error: 'source must be {type: "network", network} for a libvirt network or {type: "bridge", bridge} for a host bridge' });
export type NicSource = z.infer<typeof NicSource>;
