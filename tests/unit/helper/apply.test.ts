import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyContext } from '../../../main/helper/apply';
import type { Journal } from '../../../main/helper/journal';
import { JournalStore } from '../../../main/helper/journal-store';
import type { LinkMap } from '../../../main/helper/link-facts';
import type { ProgressEvent, Step } from '../../../main/helper/protocol';
import { FakeHostIo } from './fake-host-io';
import { fact, host } from './link-fixtures';

/** the fake host with /proc/sys as a map: a key that is not in it does not exist */
class SysctlHost extends FakeHostIo {
  readonly writes: string[] = [];
  constructor(readonly sysctls: Map<string, string>, private readonly links: LinkMap = host(fact('kvbr0'))) {
    super();
  }
  override readLinks(): Promise<LinkMap> { return Promise.resolve(this.links); }
  override readSysctl(path: string): Promise<string | undefined> { return Promise.resolve(this.sysctls.get(path)); }
  override writeSysctl(path: string, value: string): Promise<void> {
    if (!this.sysctls.has(path)) return Promise.reject(Object.assign(new Error(`ENOENT: /proc/sys/${path}`), { code: 'ENOENT' }));
    this.sysctls.set(path, value);
    this.writes.push(`${path}=${value}`);
    return Promise.resolve();
  }
}

/** keeps every journal version written, in order */
class RecordingStore extends JournalStore {
  readonly written: Journal[] = [];
  override async write(journal: Journal): Promise<void> {
    this.written.push(structuredClone(journal));
    await super.write(journal);
  }
}

describe('applyPlan (fake host, journal in a temporary directory)', () => {
  let root: string;
  let store: RecordingStore;
  let events: Pick<ProgressEvent, 'index' | 'status' | 'message'>[];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kvmnet-apply-'));
    store = new RecordingStore(join(root, 'journal'));
    await store.prepare();
    events = [];
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  const context = (io: FakeHostIo): ApplyContext => ({
    io, store, writer: { pid: 1, startTime: '1' }, requestId: 'r', applyId: 'a-1', now: () => 'now', bridgeMac: () => '02:00:00:00:00:01',
    emit: (e) => events.push({ index: e.index, status: e.status, ...(e.message === undefined ? {} : { message: e.message }) }),
  });
  const disableIpv6: Step = { op: 'sysctl.set', key: 'net.ipv6.conf.kvbr0.disable_ipv6', value: '1' };
  const ipForward: Step = { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' };

  it('on a kernel booted with ipv6.disable=1 (no /proc/sys/net/ipv6), turning IPv6 off on a bridge is already done', async () => {
    const io = new SysctlHost(new Map([['net/ipv4/ip_forward', '0']]));
    const outcome = await applyPlan({ steps: [disableIpv6, ipForward] }, context(io));
    expect(outcome).toEqual({ ok: true, result: { applied: 2 } });
    expect(io.writes).toEqual(['net/ipv4/ip_forward=1']);
    expect(events.find((e) => e.index === 0 && e.status === 'done')?.message).toMatch(/IPv6 is off in this kernel/);
  });

  it('with IPv6 in the kernel, writes the key; a missing per-interface key still fails and rolls back', async () => {
    const io = new SysctlHost(new Map([['net/ipv6/conf/all/disable_ipv6', '0'], ['net/ipv6/conf/kvbr0/disable_ipv6', '0'], ['net/ipv4/ip_forward', '0']]));
    expect(await applyPlan({ steps: [ipForward, disableIpv6] }, context(io))).toMatchObject({ ok: true });
    expect(io.writes).toEqual(['net/ipv4/ip_forward=1', 'net/ipv6/conf/kvbr0/disable_ipv6=1']);

    const gone = new SysctlHost(new Map([['net/ipv6/conf/all/disable_ipv6', '0'], ['net/ipv4/ip_forward', '0']]));
    const failed = await applyPlan({ steps: [ipForward, disableIpv6] }, context(gone));
    expect(failed).toMatchObject({ ok: false, error: { code: 'APPLY_FAILED', failure: { failedIndex: 1, undone: 1, left: [] } } });
    expect(gone.sysctls.get('net/ipv4/ip_forward')).toBe('0');
  });

  it('makes the inverses of a whole group durable in one write before its first step runs', async () => {
    const io = new SysctlHost(new Map([['net/ipv6/conf/all/disable_ipv6', '0'], ['net/ipv6/conf/kvbr0/disable_ipv6', '0'], ['net/ipv4/ip_forward', '0']]));
    await applyPlan({ steps: [disableIpv6, ipForward] }, context(io));
    expect(store.written).toHaveLength(1);
    expect(store.written[0]!.running.map((e) => e.index)).toEqual([0, 1]);
    expect(store.written[0]!.running[1]!.undo).toContainEqual({ ensure: 'sysctl', path: 'net/ipv4/ip_forward', value: '0' });
    expect(await store.list()).toEqual([]);
  });

  it('names the step whose inverse could not be read, and runs nothing of its group', async () => {
    const io = new (class extends SysctlHost {
      override readSysctl(path: string): Promise<string | undefined> {
        return path === 'net/ipv4/ip_forward' ? Promise.reject(new Error('EISDIR: illegal operation on a directory, read')) : super.readSysctl(path);
      }
    })(new Map([['net/ipv6/conf/all/disable_ipv6', '0'], ['net/ipv6/conf/kvbr0/disable_ipv6', '0'], ['net/ipv4/ip_forward', '0']]));
    const outcome = await applyPlan({ steps: [disableIpv6, ipForward] }, context(io));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'APPLY_FAILED', failure: { failedIndex: 1, failedOp: 'sysctl.set', undone: 0, left: [] } } });
    expect(io.writes).toEqual([]);
    expect(events).toContainEqual({ index: 1, status: 'failed', message: 'EISDIR: illegal operation on a directory, read' });
  });

  describe('bringing up a bridge this apply created', () => {
    /** an empty host where ip batches always succeed and sysfs answers as told */
    class BridgeHost extends SysctlHost {
      readonly batches: string[][] = [];
      readonly sysfs: { name: string; mac: string }[] = [];
      constructor(private readonly sysfsShowsIt: boolean) {
        super(new Map([['net/ipv6/conf/all/disable_ipv6', '0'], ['net/ipv6/conf/kvnew0/disable_ipv6', '0']]), new Map());
      }
      override runIpBatch(lines: readonly string[]): Promise<{ ok: true }> {
        this.batches.push([...lines]);
        return Promise.resolve({ ok: true });
      }
      override setUpThroughSysfs(name: string, mac: string): Promise<boolean> {
        this.sysfs.push({ name, mac });
        return Promise.resolve(this.sysfsShowsIt);
      }
    }
    const steps: Step[] = [
      { op: 'link.add', kind: 'bridge', name: 'kvnew0', network: 'lab' },
      { op: 'addr.add', dev: 'kvnew0', address: '10.80.0.1/24' },
      { op: 'sysctl.set', key: 'net.ipv6.conf.kvnew0.disable_ipv6', value: '1' },
      { op: 'link.setState', name: 'kvnew0', up: true },
    ];

    it('sets it up through sysfs, naming the MAC it was created with, after IPv6 went off: one ip process in all', async () => {
      const io = new BridgeHost(true);
      expect(await applyPlan({ steps }, context(io))).toEqual({ ok: true, result: { applied: 4 } });
      expect(io.batches).toHaveLength(1);
      expect(io.batches[0]![0]).toContain('address 02:00:00:00:00:01 type bridge');
      expect(io.sysfs).toEqual([{ name: 'kvnew0', mac: '02:00:00:00:00:01' }]);
      expect(io.writes).toEqual(['net/ipv6/conf/kvnew0/disable_ipv6=1']);
      expect(events.filter((e) => e.status === 'done').map((e) => e.index)).toEqual([0, 1, 2, 3]);
    });

    it('uses ip when sysfs does not show that bridge (another network namespace\'s sysfs)', async () => {
      const io = new BridgeHost(false);
      expect(await applyPlan({ steps }, context(io))).toMatchObject({ ok: true });
      expect(io.batches.map((b) => b.length)).toEqual([3, 1]);
      expect(io.batches[1]).toEqual(['link set dev kvnew0 up']);
    });

    it('never uses sysfs for a link it did not create', async () => {
      const io = new BridgeHost(true);
      await applyPlan({ steps: [{ op: 'link.setState', name: 'kvbr0', up: true }] }, { ...context(io), io: Object.assign(io, { readLinks: () => Promise.resolve(host(fact('kvbr0'))) }) });
      expect(io.sysfs).toEqual([]);
      expect(io.batches).toEqual([['link set dev kvbr0 up']]);
    });
  });
});

