import { NetworkRecord } from '../../main/core/network/network-record';
import { NFT_NETWORKS_PATH, RECORDS_DIR } from '../../main/core/paths';
import type { HostSnapshot } from '../../main/core/host-snapshot';
import type { Lab } from '../lab/lab';
import type { HostState } from '../lab/host-state';

/**
 * "Nothing half-made and nothing owned-but-forgotten": every thing KVMNet owns on the host — a
 * link with a kvmnet: alias, a rule in `inet kvmnet`, a dnsmasq started from /run/kvmnet, a file
 * under /run/kvmnet, a libvirt network carrying KVMNet's metadata — belongs whole to a network
 * with a record (a direct network's JSON record, a libvirt network's own definition), and every
 * recorded direct network is either fully running or fully stopped. Returns what is wrong, in
 * words; empty when the host is consistent.
 *
 * `snapshot` is the helper's own observe of the same moment (for libvirt's KVMNet metadata).
 */
export async function ownedInconsistencies(lab: Lab, state: HostState, snapshot: HostSnapshot): Promise<string[]> {
  const problems: string[] = [];
  const records = await readRecords(lab);
  const nftNetworks = await readNftNetworkNames(lab);
  const byName = new Map(records.map((r) => [r.spec.name, r]));
  const links = state.links as { name: string; alias?: string; flags: string[] }[];
  const linkNamed = new Map(links.map((l) => [l.name, l]));
  const dnsmasqConfs = state.dnsmasq.map((args) => /--conf-file=\/run\/kvmnet\/dnsmasq\/([^ ]+)\.conf/.exec(args)?.[1]).filter((n): n is string => n !== undefined);
  const runFiles = state.runFiles.split('\n').map((l) => l.trim().split(/\s+/).at(-1) ?? '').filter(Boolean);
  const kvmnetTable = /table inet kvmnet \{[\s\S]*?\n\}/.exec(state.nftables)?.[0] ?? '';

  if (/var\/lib\/kvmnet\/journal\//.test(state.files)) problems.push('a journal is left after recovery');

  const running = new Set<string>();
  for (const { spec } of records) {
    const bridge = linkNamed.get(spec.bridge);
    if (bridge && bridge.alias !== `kvmnet:${spec.name}`) {
      problems.push(`${spec.name}: its bridge ${spec.bridge} exists without the alias kvmnet:${spec.name}`);
      continue;
    }
    const mentioned = kvmnetTable.includes(`"${spec.bridge}"`);
    const hasDnsmasq = dnsmasqConfs.includes(spec.name);
    if (bridge) {
      running.add(spec.name);
      const half: string[] = [];
      if (!bridge.flags.includes('UP')) half.push('bridge down');
      if (spec.ipv4 && !state.addresses.includes(`${spec.bridge} inet ${spec.ipv4.gateway}/${spec.ipv4.subnet.split('/')[1]}`)) half.push('no gateway address');
      if (!mentioned || !nftNetworks.includes(spec.name)) half.push('no firewall rules');
      if (spec.ipv4 && !hasDnsmasq) half.push('no dnsmasq');
      if ((spec.kind === 'nat' || spec.kind === 'routed') && state.sysctls['/proc/sys/net/ipv4/ip_forward'] !== '1') half.push('ip_forward off');
      if (spec.proxyArp && state.sysctls[`/proc/sys/net/ipv4/conf/${spec.uplink}/proxy_arp`] !== '1') half.push(`proxy_arp off on ${spec.uplink}`);
      if (half.length > 0) problems.push(`${spec.name} runs half-made: ${half.join(', ')}`);
    } else {
      const left = [
        ...(mentioned || nftNetworks.includes(spec.name) ? ['firewall rules'] : []),
        ...(hasDnsmasq ? ['a dnsmasq'] : []),
      ];
      if (left.length > 0) problems.push(`${spec.name} is stopped but keeps ${left.join(' and ')}`);
    }
  }

  for (const link of links) {
    const owner = link.alias?.startsWith('kvmnet:') ? link.alias.slice('kvmnet:'.length) : undefined;
    if (owner !== undefined && byName.get(owner)?.spec.bridge !== link.name) problems.push(`link ${link.name} is owned by ${owner}, which has no record naming it`);
  }
  for (const network of nftNetworks) if (!running.has(network)) problems.push(`inet kvmnet holds rules of ${network}, which does not run`);
  const bridgesInTable = [...kvmnetTable.matchAll(/[io]ifname "([^"]+)"/g)].map((m) => m[1]!);
  for (const bridge of new Set(bridgesInTable)) {
    if (!records.some((r) => r.spec.bridge === bridge && running.has(r.spec.name)) && !records.some((r) => r.spec.uplink === bridge)) problems.push(`inet kvmnet has rules for ${bridge}, no running network's bridge`);
  }
  if (running.size === 0 && kvmnetTable !== '') problems.push('inet kvmnet exists with no direct network running');
  for (const network of dnsmasqConfs) if (!running.has(network)) problems.push(`a dnsmasq of ${network} runs, which is not a running network`);
  for (const file of runFiles) {
    const network = /run\/kvmnet\/dnsmasq\/([^/.]+)\./.exec(file)?.[1];
    if (network !== undefined && !running.has(network)) problems.push(`${file} is left of ${network}, which does not run`);
  }
  const bootUnit = state.systemd.includes('kvmnet-restore.service');
  if (bootUnit !== records.length > 0) problems.push(bootUnit ? 'the boot unit is installed with no direct network recorded' : 'direct networks are recorded but the boot unit is missing');

  if (Array.isArray(state.libvirtNetworks)) {
    for (const network of snapshot.libvirt.networks.filter((n) => n.managedByKvmnet)) {
      const shown = state.libvirtNetworks.find((n) => n.name === network.name);
      if (!shown?.persistent) problems.push(`libvirt network ${network.name} (KVMNet's) is not defined persistently`);
      else if (shown.active && network.bridge !== undefined && !linkNamed.has(network.bridge)) problems.push(`libvirt network ${network.name} runs without its bridge ${network.bridge}`);
    }
  }
  return problems;
}

async function readRecords(lab: Lab): Promise<NetworkRecord[]> {
  const separator = '--- next record ---';
  const r = await lab.run('sh', ['-c', `for f in ${RECORDS_DIR}/*.json; do [ -e "$f" ] && cat "$f" && echo '${separator}'; done; true`]);
  return r.stdout.split(separator).filter((text) => text.trim()).map((text) => NetworkRecord.parse(JSON.parse(text)));
}

async function readNftNetworkNames(lab: Lab): Promise<string[]> {
  const r = await lab.run('cat', [NFT_NETWORKS_PATH]);
  if (r.exitCode !== 0) return [];
  const { networks } = JSON.parse(r.stdout) as { networks: { name: string }[] };
  return networks.map((n) => n.name);
}

/**
 * A host state as a recovery must restore it: without what the kernel changes on its own moments
 * after a command (carrier: a bridge without ports loses it, and the routes it marks linkdown), and
 * with nftables tables in name order. A rollback that restores KVMNet's rules reloads its whole
 * table, which puts it after tables made since (libvirt's); tables are independent, so the order
 * of their listing changes nothing. In tables that are not KVMNet's (libvirt's), rules are compared
 * as a set: a libvirt network that a rollback starts again gets its rules appended by libvirt,
 * after those of networks started since; each names its own bridge, so their order changes nothing.
 * KVMNet's own table keeps its order, which matters.
 */
export function restorable(state: HostState): HostState {
  const tables = state.nftables.split(/^(?=table )/m).map((t) => (t.endsWith('\n') ? t : `${t}\n`)).map(sortForeignRules).sort();
  return {
    ...state,
    links: (state.links as { flags: string[] }[]).map((l) => ({ ...l, flags: l.flags.filter((f) => f !== 'NO-CARRIER' && f !== 'LOWER_UP') })),
    routes: state.routes.map((r) => (r as string).replace(/,?"linkdown"/, '').replace(/\["linkdown",?/, '[')),
    nftables: tables.join(''),
  };
}

function sortForeignRules(table: string): string {
  if (table.startsWith('table inet kvmnet ')) return table;
  return table.replace(/(chain [^\n]+\{\n)([\s\S]*?)(\n\t\})/g, (_, head: string, body: string, tail: string) => head + body.split('\n').sort().join('\n') + tail);
}
