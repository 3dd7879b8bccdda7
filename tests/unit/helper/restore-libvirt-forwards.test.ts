import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import type { ApplyOutcome } from '../../../main/helper/apply';
import type { Plan } from '../../../main/helper/protocol';
import { restoreLibvirtForwards } from '../../../main/helper/restore-libvirt-forwards';

const spec = (name: string, forwards: NetworkSpec['forwards']): NetworkSpec => ({
  name, kind: 'nat', backend: 'libvirt', bridge: `virbr-${name}`, ipv4: { subnet: '10.90.0.0/24', gateway: '10.90.0.1' }, dhcp: null, autostart: true, ...(forwards && { forwards }),
});
const web = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.90.0.5', port: { start: 80, end: 80 } } } as const;

describe('restoreLibvirtForwards', () => {
  it('puts back the forwards of each KVMNet libvirt network that has some, one plan each, and counts the failures', async () => {
    const specs: Record<string, NetworkSpec | undefined> = { a: spec('a', [web]), plain: spec('plain', undefined), foreign: undefined, b: spec('b', [web]), c: spec('c', [web]) };
    const applied: Plan[] = [];
    const lines: string[] = [];
    const failed = await restoreLibvirtForwards({
      listNetworks: async () => Object.keys(specs),
      readSpec: async (name) => {
        if (name === 'c') throw new Error('virsh timed out');
        return specs[name];
      },
      apply: async (plan): Promise<ApplyOutcome> => {
        applied.push(plan);
        return plan.steps[0]?.op === 'nft.network' && plan.steps[0].network === 'b'
          ? { ok: false, error: { code: 'APPLY_FAILED', message: 'nft refused' } }
          : { ok: true, result: { applied: 1 } };
      },
    }, (line) => lines.push(line));
    expect(applied.map((p) => p.steps)).toEqual([[{ op: 'nft.network', network: 'a', spec: specs.a }], [{ op: 'nft.network', network: 'b', spec: specs.b }]]);
    expect(failed).toBe(2);
    expect(lines).toEqual(['a: 1 port forward(s) back', 'b: nft refused', 'c: could not put its forwards back: virsh timed out']);
  });
});
