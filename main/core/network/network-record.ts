import { z } from 'zod';
import { InterfaceName } from '../names';
import { LowerCaseMac } from '../attach/mac';
import { NetworkSpec } from './network-spec';

/**
 * A persistent tap KVMNet made for a guest (`kvmnet attach --print qemu`): brought back with its
 * network at boot, so a QEMU command line the user saved keeps working, and its guest MAC counts
 * as taken when KVMNet picks the next one.
 */
export const RecordedTap = z
  .object({
    name: InterfaceName,
    /** the uid allowed to open it, so QEMU runs as that user */
    user: z.number().int().min(0).max(2 ** 31 - 1),
    /** the MAC KVMNet printed for the guest's NIC behind it */
    mac: LowerCaseMac,
  })
  .strict();
export type RecordedTap = z.infer<typeof RecordedTap>;

/**
 * What KVMNet keeps about a network of its own under /etc/kvmnet/networks/: the spec, plus host
 * facts it changed and must restore when the network goes (ip_forward and IPv6 forwarding before
 * the first network that needed them), and the guest taps made on it.
 */
export const NetworkRecord = z
  .object({
    version: z.literal(1),
    spec: NetworkSpec,
    /** the value net.ipv4.ip_forward had before this network turned it on, if it did */
    ipForwardBefore: z.enum(['0', '1']).optional(),
    /** the network's guest taps; absent (records before attach existed, or none left) means none */
    taps: z.array(RecordedTap).optional(),
    /** the value net.ipv6.conf.all.forwarding had before this network turned it on, if it did */
    ipv6ForwardingBefore: z.enum(['0', '1']).optional(),
    /** the value net.ipv4.conf.<uplink>.proxy_arp had before this proxy-ARP network turned it on, if it did */
    proxyArpBefore: z.enum(['0', '1']).optional(),
  })
  .strict();
export type NetworkRecord = z.infer<typeof NetworkRecord>;
