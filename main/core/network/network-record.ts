import { z } from 'zod';
import { NetworkSpec } from './network-spec';

/**
 * What KVMNet keeps about a network of its own under /etc/kvmnet/networks/: the spec, plus host
 * facts it changed and must restore when the network goes (ip_forward and IPv6 forwarding before
 * the first network that needed them).
 */
export const NetworkRecord = z
  .object({
    version: z.literal(1),
    spec: NetworkSpec,
    /** the value net.ipv4.ip_forward had before this network turned it on, if it did */
    ipForwardBefore: z.enum(['0', '1']).optional(),
    /** the value net.ipv6.conf.all.forwarding had before this network turned it on, if it did */
    ipv6ForwardingBefore: z.enum(['0', '1']).optional(),
  })
  .strict();
export type NetworkRecord = z.infer<typeof NetworkRecord>;
