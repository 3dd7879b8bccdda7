import { z } from 'zod';
import { NetworkSpec } from '../core/network/network-spec';
import { NFT_NETWORKS_PATH } from '../core/paths';
import { renderNftablesCreateScript, renderNftablesScript } from '../core/render/nftables-table';
import type { HostIo } from './host-io';
import { syncLibvirtForwardAccept } from './libvirt-forward-accept';

/**
 * The networks whose rules make up KVMNet's nftables table, kept in /var/lib/kvmnet so the table
 * can always be rendered whole (the kernel's copy is never read back and edited). The file and the
 * loaded table change together: the file is written first, then the table is loaded from it; when
 * nft refuses, the file is put back. A crash between the two leaves a file that differs from the
 * step's inverse, so the rollback rewrites both.
 */
export type NftNetworkSet = ReadonlyMap<string, NetworkSpec>;

const NftNetworksFile = z.object({ version: z.literal(1), networks: z.array(NetworkSpec) }).strict();

export async function readNftNetworks(io: HostIo): Promise<NftNetworkSet> {
  const text = await io.readText(NFT_NETWORKS_PATH);
  if (text === undefined) return new Map();
  let parsed;
  try {
    parsed = NftNetworksFile.parse(JSON.parse(text));
  } catch (e) {
    throw new Error(`${NFT_NETWORKS_PATH} is damaged (${(e as Error).message.split('\n')[0]}); KVMNet will not rewrite its firewall table from it`);
  }
  return new Map(parsed.networks.map((spec) => [spec.name, spec]));
}

export function withNetwork(set: NftNetworkSet, network: string, spec: NetworkSpec | null): NftNetworkSet {
  const next = new Map(set);
  if (spec === null) next.delete(network);
  else next.set(network, spec);
  return next;
}

/** the file's text for a set, the same for the same set whatever the order it was built in */
const canonical = (set: NftNetworkSet): string => {
  const networks = [...set.values()].map((s) => NetworkSpec.parse(s)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return `${JSON.stringify({ version: 1, networks }, null, 2)}\n`;
};

export const sameSpec = (a: NetworkSpec | null | undefined, b: NetworkSpec | null | undefined): boolean =>
  JSON.stringify(a ? NetworkSpec.parse(a) : null) === JSON.stringify(b ? NetworkSpec.parse(b) : null);

async function persist(io: HostIo, set: NftNetworkSet): Promise<void> {
  if (set.size === 0) await io.removeFile(NFT_NETWORKS_PATH);
  else await io.writeTextAtomic(NFT_NETWORKS_PATH, canonical(set), 0o644);
}

async function load(io: HostIo, previous: NftNetworkSet, next: NftNetworkSet): Promise<void> {
  const specs = [...next.values()];
  // the common first network: no table to delete; when one was there anyway, nothing changed and the full replace follows
  if (previous.size === 0 && next.size > 0 && (await io.runTool('nft', ['-f', '-'], renderNftablesCreateScript(specs))).exitCode === 0) return;
  const r = await io.runTool('nft', ['-f', '-'], renderNftablesScript(specs));
  if (r.exitCode !== 0) {
    const reason = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/dev/stdin') || l.startsWith('Error')).slice(0, 3).join('; ');
    throw new Error(`nft refused KVMNet's table: ${reason || r.stderr.trim() || `exit ${r.exitCode}`}`);
  }
}

/**
 * makes the file, the kernel's table and the accepts for libvirt networks (libvirt-forward-accept.ts)
 * hold `next`; on failure all stay as `previous`
 */
export async function replaceNftNetworks(io: HostIo, previous: NftNetworkSet, next: NftNetworkSet): Promise<void> {
  await persist(io, next);
  let loaded = false;
  try {
    await load(io, previous, next);
    loaded = true;
    await syncLibvirtForwardAccept(io, previous.values(), next.values());
  } catch (e) {
    await persist(io, previous);
    if (loaded) {
      await load(io, next, previous);
      await syncLibvirtForwardAccept(io, next.values(), previous.values());
    }
    throw e;
  }
}

/**
 * The same change for a rollback, in the other order: the table (and the accepts) first, the file
 * last. A rollback skips the step when the file already holds its target, so the file may say so
 * only once the kernel does: killed in between, the file still differs and the next rollback loads
 * the table again (file first, a kill between the two left the table behind for good).
 */
export async function restoreNftNetworks(io: HostIo, current: NftNetworkSet, target: NftNetworkSet): Promise<void> {
  await load(io, current, target);
  await syncLibvirtForwardAccept(io, current.values(), target.values());
  await persist(io, target);
}
