import { z } from 'zod';
import { BridgedRecord } from '../core/bridge-to-lan/bridged-record';
import { leaseIaid, networkdFileNames, parseNetworkdLinkState, renderNetworkdBridge, type NetworkdFile } from '../core/bridge-to-lan/networkd-files';
import { bridgedRecordPath, SYSTEMD_NETWORK_DIRS } from '../core/paths';
import { stagingPath, type HostIo } from './host-io';
import { ipLine } from './ip-line';

/**
 * systemd-networkd bridges, as the helper makes them: KVMNet's own three 10-kvmnet-* files in
 * /etc/systemd/network (the user's .network stays as it is; networkd prefers ours by name), then
 * `networkctl reload` and `networkctl reconfigure <uplink>`. Every change is written as "these of
 * KVMNet's files exist with this text, the others do not", so one function makes a bridge, takes it
 * away and replays a rollback after a crash, changing only what still differs.
 */

/** networkd's state files, one per link it knows, named by ifindex, and its DHCP leases likewise */
const NETWORKD_LINKS_DIR = '/run/systemd/netif/links';
const NETWORKD_LEASES_DIR = '/run/systemd/netif/leases';
/** where networkd reads .network files from (systemd.network(5)); a NETWORK_FILE elsewhere is not trusted */
const NETWORK_FILE = /^\/(etc|run|usr\/lib|lib|usr\/local\/lib)\/systemd\/network\/[A-Za-z0-9_.@-]{1,200}\.network$/;
const MAX_NETWORK_FILE_BYTES = 64 * 1024;

export const networkdPath = (name: string): string => `${SYSTEMD_NETWORK_DIRS.persistent}/${name}`;

const IpLink = z.array(z.looseObject({ ifindex: z.number().int(), ifname: z.string(), address: z.string().optional(), master: z.string().optional(), linkinfo: z.looseObject({ info_kind: z.string().optional() }).optional() }));

interface LinkNow {
  readonly ifindex: number;
  readonly mac: string;
  readonly master?: string;
  readonly kind?: string;
}

async function ipLinks(io: HostIo, args: readonly string[]): Promise<z.infer<typeof IpLink>> {
  const r = await io.runTool('ip', ['-j', '-d', 'link', 'show', ...args]);
  if (r.exitCode !== 0) return [];
  return IpLink.parse(JSON.parse(r.stdout || '[]'));
}

async function readLink(io: HostIo, name: string): Promise<LinkNow | undefined> {
  const [link] = await ipLinks(io, ['dev', name]);
  if (!link) return undefined;
  return { ifindex: link.ifindex, mac: (link.address ?? '').toLowerCase(), ...(link.master ? { master: link.master } : {}), ...(link.linkinfo?.info_kind ? { kind: link.linkinfo.info_kind } : {}) };
}

async function networkctl(io: HostIo, args: readonly string[]): Promise<void> {
  const r = await io.runTool('networkctl', args);
  if (r.exitCode !== 0) throw new Error(`networkctl ${args.join(' ')} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
}

/** the network's persistent bridge-to-LAN record, if it has one */
export async function readNetworkdRecord(io: Pick<HostIo, 'readText'>, network: string): Promise<BridgedRecord | undefined> {
  const text = await io.readText(bridgedRecordPath(network, true));
  return text === undefined ? undefined : BridgedRecord.parse(JSON.parse(text));
}

/** whether the record says networkd bridged this uplink as this bridge (the one bridge whose files the helper touches) */
export const recordsNetworkdBridge = (record: BridgedRecord | undefined, step: { uplink: string; bridge: string }): boolean =>
  record?.persistence === 'systemd-networkd' && record.uplink === step.uplink && record.bridge === step.bridge;

/** the network's record says networkd bridged this uplink as this bridge: the helper touches no other bridge's files */
export async function requireNetworkdRecord(io: HostIo, step: { network: string; uplink: string; bridge: string }): Promise<void> {
  if (!recordsNetworkdBridge(await readNetworkdRecord(io, step.network), step)) {
    throw new Error(`network ${step.network} has no record of bridging ${step.uplink} as ${step.bridge} through systemd-networkd; KVMNet leaves it alone`);
  }
}

/**
 * KVMNet's files for this bridge, rendered from the .network networkd applies to the uplink now.
 * The helper reads that file itself: a client names the uplink and the bridge, never file text.
 */
export async function renderFromUplink(io: HostIo, uplink: string, bridge: string): Promise<NetworkdFile[]> {
  const link = await readLink(io, uplink);
  if (!link) throw new Error(`${uplink} does not exist`);
  const stateText = await io.readText(`${NETWORKD_LINKS_DIR}/${link.ifindex}`);
  const state = stateText === undefined ? undefined : parseNetworkdLinkState(stateText);
  if (!state?.managed || !state.networkFile) throw new Error(`systemd-networkd does not configure ${uplink}; there is no .network file to carry over to ${bridge}`);
  if (!NETWORK_FILE.test(state.networkFile) || state.networkFile.includes('/..')) throw new Error(`networkd configures ${uplink} from ${state.networkFile}, which is not in a systemd network directory`);
  if (state.networkFile.split('/').at(-1)!.startsWith('10-kvmnet-')) throw new Error(`${uplink} is configured by KVMNet's ${state.networkFile} already: it is bridged`);
  const text = await io.readText(state.networkFile);
  if (text === undefined || text.length > MAX_NETWORK_FILE_BYTES) throw new Error(`cannot read ${state.networkFile}`);
  const iaid = leaseIaid((await io.readText(`${NETWORKD_LEASES_DIR}/${link.ifindex}`)) ?? '');
  return renderNetworkdBridge({ bridge, uplink, mac: link.mac, uplinkNetwork: text, ...(iaid === undefined ? {} : { iaid }) });
}

/** KVMNet's files of this bridge as they are now (absent ones left out) */
export async function readNetworkdFiles(io: HostIo, uplink: string, bridge: string): Promise<NetworkdFile[]> {
  const found: NetworkdFile[] = [];
  for (const name of networkdFileNames(bridge, uplink)) {
    const text = await io.readText(networkdPath(name));
    if (text !== undefined) found.push({ name, text });
  }
  return found;
}

/** what ensureNetworkdFiles did, and what it would not do */
export interface NetworkdOutcome {
  readonly did?: string;
  /** in plain words, for the rollback report */
  readonly left?: string;
}

/**
 * Makes exactly `files` of KVMNet's three for this bridge exist (with that text), then lets networkd
 * act on it: reload, the bridge link removed when its .netdev is gone (networkd never deletes a
 * netdev), and the uplink reconfigured (older networkd releases do not on reload). Does nothing when
 * everything already holds. The bridge link is deleted only when KVMNet's .netdev for it was there
 * when this began: networkd bridges carry no KVMNet alias, and a bridge of that name without
 * KVMNet's file is someone else's.
 */
export async function ensureNetworkdFiles(io: HostIo, target: { uplink: string; bridge: string; files: readonly NetworkdFile[] }): Promise<NetworkdOutcome> {
  const names = networkdFileNames(target.bridge, target.uplink);
  const stray = target.files.find((f) => !names.includes(f.name));
  if (stray) throw new Error(`${stray.name} is not one of KVMNet's files for ${target.bridge}`);
  const netdevWasOurs = (await io.readText(networkdPath(names[0]))) !== undefined;
  let changed = 0;
  for (const name of names) {
    const path = networkdPath(name);
    await io.removeFile(stagingPath(path));
    const wanted = target.files.find((f) => f.name === name)?.text;
    const now = await io.readText(path);
    if (now === wanted) continue;
    if (wanted === undefined) await io.removeFile(path);
    else await io.writeTextAtomic(path, wanted, 0o644);
    changed++;
  }
  const bridgeWanted = target.files.some((f) => f.name === names[0]);
  const bridge = await readLink(io, target.bridge);
  const uplink = await readLink(io, target.uplink);
  const bridgeLeft = !bridgeWanted && bridge !== undefined;
  // after a crash between the file changes and networkd acting on them, the uplink still shows the old state
  const uplinkOff = bridgeWanted ? uplink?.master !== target.bridge : uplink?.master !== undefined;
  if (changed === 0 && !bridgeLeft && !uplinkOff) return {};

  await networkctl(io, ['reload']);
  const left = bridgeLeft && !netdevWasOurs ? `${target.bridge} was left in place: KVMNet's .netdev for it was already gone, so it may not be KVMNet's` : undefined;
  if (bridgeLeft && netdevWasOurs) {
    if (bridge.kind !== 'bridge') throw new Error(`${target.bridge} is not a bridge; KVMNet leaves it alone`);
    const ports = (await ipLinks(io, ['master', target.bridge])).map((l) => l.ifname).filter((p) => p !== target.uplink);
    if (ports.length > 0) throw new Error(`${target.bridge} still has ports other than ${target.uplink} (${ports.join(', ')}); detach them first`);
    const deleted = await io.runIpBatch([ipLine('link', 'delete', 'dev', target.bridge)]);
    if (!deleted.ok) throw new Error(`could not remove ${target.bridge}: ${deleted.message}`);
  }
  if (uplink) await networkctl(io, ['reconfigure', target.uplink]);
  return {
    did: bridgeWanted ? `${changed} file(s) in ${SYSTEMD_NETWORK_DIRS.persistent}; networkd bridges ${target.uplink} as ${target.bridge}` : `KVMNet's files for ${target.bridge} removed; networkd configures ${target.uplink} from its own file again`,
    ...(left ? { left } : {}),
  };
}
