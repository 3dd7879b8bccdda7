import { describe, expect, it } from 'vitest';
import type { BridgedRecord } from '../../../../main/core/bridge-to-lan/bridged-record';
import { networkdBridge, networkdUnbridge } from '../../../../main/helper/ops/networkd-bridge';
import type { BatchOutcome } from '../../../../main/helper/ip-line';
import { HostUndo } from '../../../../main/helper/host-undo';
import { ensureHostUndo } from '../../../../main/helper/ensure-host';
import type { PlanState } from '../../../../main/helper/plan-state';
import { FakeHostIo, type ToolCall } from '../fake-host-io';
import { fact, host } from '../link-fixtures';

const MAC = '02:00:00:00:00:10';
const USER_FILE = '/etc/systemd/network/50-eth0.network';
const USER_TEXT = '[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n';
const RECORD_PATH = '/etc/kvmnet/bridged/lan.json';
const record: BridgedRecord = {
  format: 1, name: 'lan', uplink: 'eth0', bridge: 'br-lan', persistence: 'systemd-networkd', createdAt: '2026-01-02T10:00:00.000Z',
  addressing: { uplink: 'eth0', mac: MAC, mtu: 1500, addresses: [], routes: [] },
};
const step = { network: 'lan', uplink: 'eth0', bridge: 'br-lan' } as const;
const OURS = ['/etc/systemd/network/10-kvmnet-br-lan.netdev', '/etc/systemd/network/10-kvmnet-eth0-port.network', '/etc/systemd/network/10-kvmnet-br-lan.network'];

interface Link { ifindex: number; ifname: string; address: string; master?: string; kind?: string }

/**
 * A host where networkd configures eth0 from the user's file: `ip -j -d link show` answers from
 * `links`, networkctl calls are recorded, and `ip link delete` removes a link.
 */
class NetworkdHost extends FakeHostIo {
  readonly links = new Map<string, Link>([['eth0', { ifindex: 2, ifname: 'eth0', address: MAC }]]);
  readonly batches: string[][] = [];

  constructor() {
    super((call: ToolCall, io) => (io as NetworkdHost).answerTool(call));
    this.files.set(USER_FILE, USER_TEXT);
    this.files.set('/run/systemd/netif/links/2', `ADMIN_STATE=configured\nNETWORK_FILE=${USER_FILE}\nDNS=203.0.113.1\n`);
  }

  answerTool(call: ToolCall): { exitCode?: number; stdout?: string; stderr?: string } {
    if (call.tool !== 'ip') return {};
    const json = (ls: Link[]) => JSON.stringify(ls.map((l) => ({ ...l, ...(l.kind ? { linkinfo: { info_kind: l.kind } } : {}) })));
    const [, , , , what, name] = call.args;
    if (what === 'dev') {
      const link = this.links.get(name!);
      return link ? { stdout: json([link]) } : { exitCode: 1, stderr: `Device "${name}" does not exist.` };
    }
    if (what === 'master') return { stdout: json([...this.links.values()].filter((l) => l.master === name)) };
    return { exitCode: 1 };
  }

  override runIpBatch(lines: readonly string[]): Promise<BatchOutcome> {
    this.batches.push([...lines]);
    for (const line of lines) {
      const deleted = /^link delete dev (\S+)$/.exec(line)?.[1];
      if (deleted) {
        this.links.delete(deleted);
        for (const l of this.links.values()) if (l.master === deleted) delete l.master;
      }
    }
    return Promise.resolve({ ok: true });
  }

  /** what networkd does on reload once KVMNet's files are there */
  bridged(): void {
    this.links.set('br-lan', { ifindex: 3, ifname: 'br-lan', address: MAC, kind: 'bridge' });
    this.links.get('eth0')!.master = 'br-lan';
  }

  networkctl = () => this.calls.filter((c) => c.tool === 'networkctl').map((c) => c.args.join(' '));
}

/** the host's links, and the record of network lan (null: it has none) */
const state = (links: Parameters<typeof host>, lan: BridgedRecord | null = record): PlanState =>
  ({ links: host(...links), nft: new Map(), dnsmasq: new Set(), libvirt: new Map(), networkdRecords: new Map([['lan', lan ?? undefined]]) });

describe('networkd.bridge', () => {
  it('renders KVMNet\'s three files from the user\'s .network, leaves that file alone, reloads networkd and reconfigures the uplink', async () => {
    const io = new NetworkdHost();
    io.files.set(RECORD_PATH, JSON.stringify(record));
    expect(await networkdBridge.inverse({ op: 'networkd.bridge', ...step }, io)).toEqual([{ ensure: 'networkd.files', ...step, files: [] }]);
    await networkdBridge.run({ op: 'networkd.bridge', ...step }, io);
    expect(io.files.get(OURS[0]!)).toBe(`[NetDev]\nName=br-lan\nKind=bridge\nMACAddress=${MAC}\n\n[Bridge]\nSTP=no\nForwardDelaySec=0\n`);
    expect(io.files.get(OURS[1]!)).toBe('[Match]\nName=eth0\n\n[Network]\nBridge=br-lan\n');
    expect(io.files.get(OURS[2]!)).toBe('[Match]\nName=br-lan\n\n[Network]\nDHCP=ipv4\n');
    expect(io.files.get(USER_FILE)).toBe(USER_TEXT);
    expect(io.networkctl()).toEqual(['reload', 'reconfigure eth0']);
  });

  it('will not touch a bridge without a networkd record of this network, and never a bridge it did not make', async () => {
    const io = new NetworkdHost();
    await expect(networkdBridge.inverse({ op: 'networkd.bridge', ...step }, io)).rejects.toThrow(/no record of bridging eth0 as br-lan through systemd-networkd/);
    io.files.set(RECORD_PATH, JSON.stringify({ ...record, persistence: 'runtime' }));
    await expect(networkdBridge.inverse({ op: 'networkd.bridge', ...step }, io)).rejects.toThrow(/no record/);
    expect(networkdBridge.check({ op: 'networkd.bridge', ...step }, state([fact('eth0', { kind: 'other', alias: undefined }), fact('br-lan', { kind: 'tap', alias: undefined })])))
      .toMatchObject({ code: 'NOT_OWNED', field: 'bridge' });
    expect(networkdBridge.check({ op: 'networkd.bridge', ...step }, state([fact('eth0', { kind: 'other', alias: undefined, master: 'br9' })])))
      .toMatchObject({ code: 'NOT_ALLOWED', field: 'uplink' });
    expect(networkdBridge.check({ op: 'networkd.bridge', ...step }, state([fact('eth1', { kind: 'other', alias: undefined })]))).toMatchObject({ field: 'uplink' });
    expect(networkdBridge.check({ op: 'networkd.bridge', ...step }, state([fact('eth0', { kind: 'other', alias: undefined })]))).toBeUndefined();
  });

  it('refuses, before anything runs, a bridge the network\'s record does not name and a bridge that exists and is not KVMNet\'s', () => {
    const eth0 = fact('eth0', { kind: 'other', alias: undefined });
    const refusals = (lan: BridgedRecord | null) => [
      networkdBridge.check({ op: 'networkd.bridge', ...step }, state([eth0], lan)),
      networkdUnbridge.check({ op: 'networkd.unbridge', ...step }, state([eth0], lan)),
    ];
    const notOwned = expect.objectContaining({ code: 'NOT_OWNED', field: 'network', message: expect.stringContaining('no record of bridging eth0 as br-lan') });
    for (const lan of [null, { ...record, persistence: 'runtime' as const }, { ...record, bridge: 'br-other' }, { ...record, uplink: 'eth1' }]) {
      expect(refusals(lan)).toEqual([notOwned, notOwned]);
    }
    expect(refusals(record)).toEqual([undefined, undefined]);
    // the user's own bridge of that name, eth0 not its port: networkd would take it over
    const theirs = fact('br-lan', { kind: 'bridge', alias: undefined });
    expect(networkdBridge.check({ op: 'networkd.bridge', ...step }, state([eth0, theirs]))).toMatchObject({ code: 'NOT_OWNED', field: 'bridge' });
    // KVMNet's bridge with eth0 in it: bridged already (a retry), or to be removed
    const ours = [fact('eth0', { kind: 'other', alias: undefined, master: 'br-lan' }), theirs];
    expect(networkdBridge.check({ op: 'networkd.bridge', ...step }, state(ours))).toBeUndefined();
    expect(networkdUnbridge.check({ op: 'networkd.unbridge', ...step }, state(ours))).toBeUndefined();
  });

  it('refuses an uplink networkd does not configure, or one configured by a file outside networkd\'s directories', async () => {
    const io = new NetworkdHost();
    io.files.set('/run/systemd/netif/links/2', 'ADMIN_STATE=unmanaged\n');
    await expect(networkdBridge.run({ op: 'networkd.bridge', ...step }, io)).rejects.toThrow(/does not configure eth0/);
    io.files.set('/run/systemd/netif/links/2', 'ADMIN_STATE=configured\nNETWORK_FILE=/home/me/eth0.network\n');
    await expect(networkdBridge.run({ op: 'networkd.bridge', ...step }, io)).rejects.toThrow(/not in a systemd network directory/);
    io.files.set('/run/systemd/netif/links/2', 'ADMIN_STATE=configured\nNETWORK_FILE=/etc/systemd/network/10-kvmnet-eth0-port.network\n');
    await expect(networkdBridge.run({ op: 'networkd.bridge', ...step }, io)).rejects.toThrow(/bridged/);
    expect(OURS.some((p) => io.files.has(p))).toBe(false);
    expect(io.networkctl()).toEqual([]);
  });
});

describe('networkd.unbridge and the networkd.files undo', () => {
  async function bridgedHost(): Promise<NetworkdHost> {
    const io = new NetworkdHost();
    io.files.set(RECORD_PATH, JSON.stringify(record));
    await networkdBridge.run({ op: 'networkd.bridge', ...step }, io);
    io.bridged();
    io.calls.length = 0;
    return io;
  }

  it('removes KVMNet\'s files and the bridge, the uplink reconfigured under the user\'s file; the inverse holds the files as they were', async () => {
    const io = await bridgedHost();
    const files = OURS.map((p) => io.files.get(p));
    const [undo] = await networkdUnbridge.inverse({ op: 'networkd.unbridge', ...step }, io);
    expect(undo).toMatchObject({ ensure: 'networkd.files', files: [{ name: '10-kvmnet-br-lan.netdev', text: files[0] }, { name: '10-kvmnet-eth0-port.network' }, { name: '10-kvmnet-br-lan.network' }] });
    await networkdUnbridge.run({ op: 'networkd.unbridge', ...step }, io);
    expect(OURS.some((p) => io.files.has(p))).toBe(false);
    expect(io.files.get(USER_FILE)).toBe(USER_TEXT);
    expect(io.batches).toEqual([['link delete dev br-lan']]);
    expect(io.networkctl()).toEqual(['reload', 'reconfigure eth0']);

    // the undo, as a rollback replays it from the journal: the files come back and networkd is told
    io.calls.length = 0;
    await ensureHostUndo(HostUndo.parse(undo), io);
    expect(OURS.map((p) => io.files.get(p))).toEqual(files);
    expect(io.networkctl()).toEqual(['reload', 'reconfigure eth0']);
  });

  it('replayed when it already holds, does nothing: no reload, no reconfigure that would cost the uplink its lease', async () => {
    const io = new NetworkdHost();
    await ensureHostUndo(HostUndo.parse({ ensure: 'networkd.files', ...step, files: [] }), io);
    expect(io.calls.filter((c) => c.tool === 'networkctl')).toEqual([]);
    expect(io.batches).toEqual([]);
  });

  it('replayed after a crash that removed some of the files: the rest go, the bridge goes, the uplink is reconfigured', async () => {
    const io = await bridgedHost();
    io.files.delete(OURS[1]!);
    io.files.set(`${OURS[2]}.kvmnet-tmp`, 'half written');
    expect(await ensureHostUndo(HostUndo.parse({ ensure: 'networkd.files', ...step, files: [] }), io)).toBeUndefined();
    expect(io.files.has(`${OURS[2]}.kvmnet-tmp`)).toBe(false);
    expect(OURS.some((p) => io.files.has(p))).toBe(false);
    expect(io.batches).toEqual([['link delete dev br-lan']]);
    expect(io.networkctl()).toEqual(['reload', 'reconfigure eth0']);
  });

  it('never deletes a bridge of that name when KVMNet\'s .netdev for it is not there: it may be someone else\'s', async () => {
    const io = await bridgedHost();
    for (const p of OURS) io.files.delete(p);
    expect(await ensureHostUndo(HostUndo.parse({ ensure: 'networkd.files', ...step, files: [] }), io)).toMatch(/br-lan was left in place/);
    await expect(networkdUnbridge.run({ op: 'networkd.unbridge', ...step }, io)).rejects.toThrow(/br-lan was left in place/);
    expect(io.batches).toEqual([]);
    expect(io.links.has('br-lan')).toBe(true);
  });

  it('leaves a bridge alone that has ports other than the uplink', async () => {
    const io = await bridgedHost();
    io.links.set('vnet0', { ifindex: 4, ifname: 'vnet0', address: '52:54:00:00:00:01', master: 'br-lan' });
    await expect(networkdUnbridge.run({ op: 'networkd.unbridge', ...step }, io)).rejects.toThrow(/br-lan still has ports other than eth0 \(vnet0\)/);
    expect(io.batches).toEqual([]);
  });

  it('accepts from the journal only the three names KVMNet writes for this bridge', () => {
    expect(HostUndo.safeParse({ ensure: 'networkd.files', ...step, files: [{ name: '50-eth0.network', text: '' }] }).success).toBe(false);
    expect(HostUndo.safeParse({ ensure: 'networkd.files', ...step, files: [{ name: '../../../etc/passwd', text: '' }] }).success).toBe(false);
    expect(HostUndo.safeParse({ ensure: 'networkd.files', ...step, files: [{ name: '10-kvmnet-br-lan.network', text: '[Match]\nName=br-lan\n' }] }).success).toBe(true);
  });
});
