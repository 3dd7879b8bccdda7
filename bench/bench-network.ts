import type { NetworkSpec } from '../main/core/network/network-spec';
import { KVMNET_NFT_TABLE_REF, renderNftablesTable } from '../main/core/render/nftables-table';

/** The network every contender makes, in the terms a person typing commands needs. */
export interface BenchNetwork {
  name: string;
  bridge: string;
  subnet: string;
  /** the host's address on the bridge, with the prefix: 10.90.0.1/24 */
  hostAddress: string;
  dhcpStart: string;
  dhcpEnd: string;
  netmask: string;
  /** KVMNet's own table for this network, renamed: the batch script loads the very rules KVMNet loads */
  ruleset: string;
  /** the renamed table, as `nft delete table` names it */
  table: string;
}

const BENCH_TABLE = 'inet kvmnet_bench';

/** KVMNet's own plan decides the details (bridge name, DHCP range), so every contender builds the same network */
export function benchNetworkOf(spec: NetworkSpec): BenchNetwork {
  if (!spec.ipv4 || !spec.dhcp) throw new Error(`network ${spec.name} needs IPv4 with DHCP for this benchmark`);
  const prefix = Number(spec.ipv4.subnet.split('/')[1]);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const netmask = [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
  return {
    name: spec.name,
    bridge: spec.bridge,
    subnet: spec.ipv4.subnet,
    hostAddress: `${spec.ipv4.gateway}/${prefix}`,
    dhcpStart: spec.dhcp.start,
    dhcpEnd: spec.dhcp.end,
    netmask,
    ruleset: renderNftablesTable([spec])!.replace(`table ${KVMNET_NFT_TABLE_REF} {`, `table ${BENCH_TABLE} {`),
    table: BENCH_TABLE,
  };
}
