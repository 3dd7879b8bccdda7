import { addressAt, cidrText, nextBlock, overlaps, parseExactCidr, type Cidr } from './cidr';

/**
 * Where KVMNet looks for a subnet nobody uses. Scanning is in order, /24 by /24, so the same host
 * state always gives the same answer (no randomness to explain in a bug report).
 *
 * 10.80.0.0/12 (10.80.0.0–10.95.255.255) comes first: far from the 10.0.x and 192.168.x blocks home
 * routers hand out and below Kubernetes' 10.96.0.0/12. 192.168.128.0/17 is the fallback for hosts
 * where a VPN routes all of 10/8.
 */
export const IPV4_POOLS = ['10.80.0.0/12', '192.168.128.0/17'] as const;
export const DEFAULT_IPV4_PREFIX = 24;

/**
 * Blocks other software commonly uses even when they are not on this host right now (a laptop
 * joins another LAN, Docker or Podman create a bridge later). The defaults avoid them; a user may
 * still choose one on purpose, so validation does not reject them.
 */
export const COMMONLY_USED_IPV4: readonly { readonly subnet: string; readonly user: string }[] = [
  { subnet: '192.168.122.0/24', user: "libvirt's default network" },
  { subnet: '192.168.100.0/24', user: "virt-manager's suggested network" },
  { subnet: '192.168.0.0/24', user: 'home routers' },
  { subnet: '192.168.1.0/24', user: 'home routers' },
  { subnet: '192.168.2.0/24', user: 'home routers' },
  { subnet: '192.168.8.0/24', user: 'mobile broadband routers' },
  { subnet: '192.168.178.0/24', user: 'FRITZ!Box routers' },
  { subnet: '192.168.56.0/24', user: 'VirtualBox host-only networks' },
  { subnet: '192.168.39.0/24', user: 'minikube (kvm2)' },
  { subnet: '192.168.49.0/24', user: 'minikube (docker)' },
  { subnet: '10.0.0.0/24', user: 'home routers' },
  { subnet: '10.0.1.0/24', user: 'home routers' },
  { subnet: '10.0.2.0/24', user: 'QEMU user-mode networking' },
  { subnet: '10.8.0.0/24', user: 'OpenVPN' },
  { subnet: '10.42.0.0/16', user: 'NetworkManager connection sharing and k3s' },
  { subnet: '10.85.0.0/16', user: 'CRI-O' },
  { subnet: '10.88.0.0/16', user: "Podman's default network" },
  { subnet: '10.89.0.0/16', user: "Podman's further networks" },
  { subnet: '10.96.0.0/12', user: 'Kubernetes services' },
  { subnet: '10.244.0.0/16', user: 'Kubernetes pods (flannel)' },
  { subnet: '172.17.0.0/16', user: "Docker's default bridge" },
  { subnet: '172.16.0.0/12', user: "Docker's further networks" },
  { subnet: '100.64.0.0/10', user: 'Tailscale and carrier-grade NAT' },
];

const COMMON_BLOCKS: readonly Cidr[] = COMMONLY_USED_IPV4.map(({ subnet }) => exact(subnet));

/** The pools' /24s in scanning order, without the commonly used blocks. */
export function* ipv4Candidates(): Generator<Cidr> {
  for (const poolText of IPV4_POOLS) {
    const pool = exact(poolText);
    for (let c: Cidr | undefined = { family: 'ipv4', network: pool.network, prefix: DEFAULT_IPV4_PREFIX }; c && overlaps(pool, c); c = nextBlock(c)) {
      const candidate: Cidr = c;
      if (!COMMON_BLOCKS.some((b) => overlaps(b, candidate))) yield candidate;
    }
  }
}

/** The first candidate that overlaps nothing in `taken`. */
export function findFreeIpv4Subnet(taken: readonly Cidr[]): string | undefined {
  for (const candidate of ipv4Candidates()) {
    if (!taken.some((t) => overlaps(t, candidate))) return cidrText(candidate);
  }
  return undefined;
}

/**
 * An RFC 4193 unique local /64. The RFC wants the 40-bit global ID to be pseudo-random so that
 * sites merged later do not clash; a hash of host name and network name gives that and stays
 * deterministic. Subnet IDs count up from 0 past any taken /64.
 */
export function findFreeIpv6Subnet(taken: readonly Cidr[], seed: string): string | undefined {
  const globalId = fnv1a64(seed) & 0xff_ffff_ffffn;
  const site = exact(`fd00::/8`);
  const firstBlock = addressAt(site, globalId << 80n);
  let candidate: Cidr | undefined = { family: 'ipv6', network: firstBlock, prefix: 64 };
  for (let subnetId = 0; subnetId < 0x10000 && candidate; subnetId++) {
    const c: Cidr = candidate;
    if (!taken.some((t) => overlaps(t, c))) return cidrText(c);
    candidate = nextBlock(c);
  }
  return undefined;
}

function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffff_ffff_ffff_ffffn;
  }
  return hash;
}

function exact(text: string): Cidr {
  const cidr = parseExactCidr(text);
  if (!cidr) throw new Error(`built-in subnet ${text} is not a valid network address`);
  return cidr;
}
