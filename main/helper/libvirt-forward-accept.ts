import type { NetworkSpec } from '../core/network/network-spec';
import type { HostIo } from './host-io';

/**
 * The accept that lets a port forward into a libvirt NAT network past libvirt's own rules.
 *
 * libvirt rejects new connections routed into a NAT network's bridge (iptables backend:
 * LIBVIRT_FWI `-o virbrN -j REJECT`; nftables backend, libvirt ≥ 10: `oif virbrN reject` in
 * `ip libvirt_network` chain guest_input). A reject in any base chain is final, so an accept in
 * KVMNet's own table cannot undo it: the accept has to be met before libvirt's reject, where
 * libvirt's rules live. KVMNet adds the least it can there, and touches nothing else:
 * - iptables backend: a chain of its own, KVMNET_FWD in `ip filter` (accepting only DNATed
 *   connections into each network's subnet through its bridge), and ONE jump to it, tagged with
 *   the comment "kvmnet", at the top of FORWARD, ahead of libvirt's jumps. Both go when the last
 *   forward into a libvirt network goes.
 * - nftables backend: the same accept as one rule per network at the top of libvirt's
 *   guest_input chain, tagged "kvmnet:<network>", found again by that comment and removed by its
 *   handle. A libvirt hook script would be libvirt's own extension point, but libvirt reads the hook
 *   directory only when the daemon starts, so installing one means restarting libvirtd under the
 *   user's running guests; the tagged rule needs no restart and is undone exactly.
 * Both forms are rendered from the same network set as KVMNet's nftables table and rewritten with
 * it, so a rollback of the table restores them too.
 */

export const IPTABLES_CHAIN = 'KVMNET_FWD';
const JUMP = ['FORWARD', '-m', 'comment', '--comment', 'kvmnet', '-j', IPTABLES_CHAIN];
const LIBVIRT_NFT_TABLE = ['ip', 'libvirt_network'] as const;
const LIBVIRT_NFT_CHAIN = 'guest_input';

/** the libvirt networks of a set that have forwards: the ones needing an accept */
export const libvirtForwardSpecs = (specs: Iterable<NetworkSpec>): NetworkSpec[] =>
  [...specs].filter((s) => s.backend === 'libvirt' && s.ipv4 !== null && (s.forwards?.length ?? 0) > 0).sort((a, b) => (a.name < b.name ? -1 : 1));

/** `iptables -A` argument lists for KVMNET_FWD */
export function iptablesAcceptRules(specs: readonly NetworkSpec[]): string[][] {
  return libvirtForwardSpecs(specs).map((s) => [
    '-A', IPTABLES_CHAIN, '-o', s.bridge, '-d', s.ipv4!.subnet, '-m', 'conntrack', '--ctstate', 'DNAT',
    '-m', 'comment', '--comment', `kvmnet:${s.name}`, '-j', 'ACCEPT',
  ]);
}

/** handles of KVMNet's rules in `nft -a list chain ip libvirt_network guest_input` output */
export function kvmnetRuleHandles(listing: string): number[] {
  return listing.split('\n').flatMap((line) => {
    const match = /comment "kvmnet:[A-Za-z0-9_-]+".*# handle (\d+)\s*$/.exec(line);
    return match ? [Number(match[1])] : [];
  });
}

/** one nft transaction: KVMNet's old rules out of guest_input, the wanted ones in at its top */
export function libvirtNftAcceptScript(oldHandles: readonly number[], specs: readonly NetworkSpec[]): string {
  const table = LIBVIRT_NFT_TABLE.join(' ');
  return [
    ...oldHandles.map((h) => `delete rule ${table} ${LIBVIRT_NFT_CHAIN} handle ${h}`),
    ...libvirtForwardSpecs(specs).map((s) =>
      `insert rule ${table} ${LIBVIRT_NFT_CHAIN} oifname "${s.bridge}" ip daddr ${s.ipv4!.subnet} ct status dnat counter accept comment "kvmnet:${s.name}"`),
    '',
  ].join('\n');
}

async function iptables(io: HostIo, args: readonly string[]): Promise<{ ok: boolean; stderr: string }> {
  const r = await io.runTool('iptables', ['-w', '5', ...args]);
  return { ok: r.exitCode === 0, stderr: r.stderr.trim() };
}

async function mustIptables(io: HostIo, args: readonly string[]): Promise<void> {
  const r = await iptables(io, args);
  if (!r.ok) throw new Error(`iptables ${args.join(' ')} failed: ${r.stderr}`);
}

async function syncIptables(io: HostIo, specs: readonly NetworkSpec[]): Promise<void> {
  const rules = iptablesAcceptRules(specs);
  const hasChain = (await iptables(io, ['-S', IPTABLES_CHAIN])).ok;
  // libvirt's iptables backend is in use when its chain exists; otherwise only our leftovers matter
  if (!hasChain && (rules.length === 0 || !(await iptables(io, ['-S', 'LIBVIRT_FWI'])).ok)) return;
  const hasJump = (await iptables(io, ['-C', ...JUMP])).ok;
  if (rules.length === 0) {
    if (hasJump) await mustIptables(io, ['-D', ...JUMP]);
    await mustIptables(io, ['-F', IPTABLES_CHAIN]);
    await mustIptables(io, ['-X', IPTABLES_CHAIN]);
    return;
  }
  if (!hasChain) await mustIptables(io, ['-N', IPTABLES_CHAIN]);
  await mustIptables(io, ['-F', IPTABLES_CHAIN]);
  for (const rule of rules) await mustIptables(io, rule);
  if (!hasJump) await mustIptables(io, ['-I', JUMP[0]!, '1', ...JUMP.slice(1)]);
}

async function syncLibvirtNft(io: HostIo, specs: readonly NetworkSpec[]): Promise<void> {
  const listing = await io.runTool('nft', ['-a', 'list', 'chain', ...LIBVIRT_NFT_TABLE, LIBVIRT_NFT_CHAIN]);
  if (listing.exitCode !== 0) return; // libvirt's nftables backend is not in use
  const handles = kvmnetRuleHandles(listing.stdout);
  if (handles.length === 0 && libvirtForwardSpecs(specs).length === 0) return;
  const r = await io.runTool('nft', ['-f', '-'], libvirtNftAcceptScript(handles, specs));
  if (r.exitCode !== 0) throw new Error(`nft refused the accept in libvirt's guest_input chain: ${r.stderr.trim()}`);
}

/**
 * Makes the accepts match the libvirt networks with forwards in `next`. Nothing is read or
 * written when neither set has a libvirt network: a host without libvirt never sees iptables run.
 */
export async function syncLibvirtForwardAccept(io: HostIo, previous: Iterable<NetworkSpec>, next: Iterable<NetworkSpec>): Promise<void> {
  const wanted = libvirtForwardSpecs(next);
  if (wanted.length === 0 && ![...previous].some((s) => s.backend === 'libvirt')) return;
  await syncIptables(io, wanted);
  await syncLibvirtNft(io, wanted);
}
