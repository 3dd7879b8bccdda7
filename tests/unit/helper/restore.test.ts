import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import type { PlanContext } from '../../../main/core/plan/plan-context';
import type { ApplyOutcome } from '../../../main/helper/apply';
import type { Plan } from '../../../main/helper/protocol';
import type { NetworkRecord } from '../../../main/core/network/network-record';
import { restoreNetworks, type RestoreDeps } from '../../../main/helper/restore';

const spec = (name: string, extra: Partial<NetworkSpec> = {}): NetworkSpec => ({
  name, kind: 'hostonly', backend: 'direct', bridge: `kv${name}`, ipv4: { subnet: '10.9.0.0/24', gateway: '10.9.0.1' }, dhcp: null, autostart: true, ...extra,
});
const record = (s: NetworkSpec): NetworkRecord => ({ version: 1, spec: s });

/** a host where `up` bridges exist, and whose applies answer as told */
function deps(records: NetworkRecord[], up: string[], answer: (plan: Plan) => ApplyOutcome): RestoreDeps & { applied: Plan[] } {
  const applied: Plan[] = [];
  return {
    applied,
    readRecords: async () => ({ records, problems: ['/etc/kvmnet/networks/x.json is not a KVMNet network record; it is ignored'] }),
    readContext: async (rs) => ({
      records: rs, ipForward: '0',
      snapshot: { takenAt: '', hostname: 'h', routes: [], libvirt: { available: false, networks: [], domains: [] },
        links: up.map((name, index) => ({ index, name, kind: 'bridge', mtu: 1500, up: true, operState: 'up', addresses: [], owner: name.slice(2), alias: `kvmnet:${name.slice(2)}` })) },
    } satisfies PlanContext),
    planUp: (r) => ({ description: `up ${r.spec.name}`, steps: [{ op: 'link.add', kind: 'bridge', name: r.spec.bridge, network: r.spec.name }] }),
    apply: async (plan) => {
      applied.push(plan);
      return answer(plan);
    },
  };
}

describe('restoreNetworks', () => {
  it('brings up each autostart direct network that is down, one plan each, and reports every record', async () => {
    const lines: string[] = [];
    const d = deps([record(spec('a')), record(spec('b')), record(spec('c', { autostart: false })), record(spec('d', { backend: 'libvirt' })), record(spec('e'))], ['kvb'], (plan) =>
      plan.description === 'up e'
        ? { ok: false, error: { code: 'APPLY_FAILED', message: 'step 0 (link.add) failed: File exists; the 0 completed step(s) were undone and the host is as before' } }
        : { ok: true, result: { applied: plan.steps.length } });
    const reports = await restoreNetworks(d, (l) => lines.push(l));
    expect(reports).toEqual([
      { network: 'a', outcome: 'restored', message: 'up again (1 steps)' },
      { network: 'b', outcome: 'already-up', message: 'already up (bridge kvb exists)' },
      { network: 'c', outcome: 'skipped', message: 'autostart is off; left down' },
      { network: 'd', outcome: 'skipped', message: expect.stringContaining('not a direct network') },
      { network: 'e', outcome: 'failed', message: expect.stringContaining('File exists') },
    ]);
    expect(d.applied.map((p) => p.description)).toEqual(['up a', 'up e']);
    expect(lines[0]).toContain('is not a KVMNet network record');
  });

  it('goes on with the next network when reading the host fails for one', async () => {
    const d = deps([record(spec('a')), record(spec('b'))], [], (plan) => ({ ok: true, result: { applied: plan.steps.length } }));
    let reads = 0;
    const failingOnce: RestoreDeps = { ...d, readContext: async (rs) => (reads++ === 0 ? Promise.reject(new Error('ip failed')) : d.readContext(rs)) };
    expect((await restoreNetworks(failingOnce, () => undefined)).map((r) => r.outcome)).toEqual(['failed', 'restored']);
  });
});
