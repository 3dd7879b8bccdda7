import type { ParsedLibvirtNetwork } from '../render/libvirt-network-xml';
import { NetworkSpec } from './network-spec';

/**
 * A KVMNet libvirt network's spec, read back from its definition (`net-dumpxml --inactive`): libvirt
 * holds the intent of its networks, forwards included (in KVMNet's metadata), so no record is kept
 * beside it. Undefined when the definition does not describe a network KVMNet can express.
 */
export function libvirtNetworkSpec(parsed: ParsedLibvirtNetwork, autostart: boolean): NetworkSpec | undefined {
  if (!parsed.managedByKvmnet || parsed.kind === undefined || parsed.bridge === undefined) return undefined;
  const spec = NetworkSpec.safeParse({
    name: parsed.name,
    kind: parsed.kind,
    backend: 'libvirt',
    bridge: parsed.bridge,
    ...(parsed.uplink !== undefined && { uplink: parsed.uplink }),
    ipv4: parsed.ipv4,
    dhcp: parsed.dhcp,
    ...(parsed.domain !== undefined && { domain: parsed.domain }),
    autostart,
    ...(parsed.mtu !== undefined && { mtu: parsed.mtu }),
    ...(parsed.ipv6 !== undefined && { ipv6: parsed.ipv6 }),
    ...(parsed.forwards?.length && { forwards: parsed.forwards }),
    ...(parsed.reservations?.length && { reservations: parsed.reservations }),
  });
  return spec.success ? spec.data : undefined;
}
