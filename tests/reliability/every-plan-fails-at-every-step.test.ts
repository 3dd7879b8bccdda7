import { describe, expect, it } from 'vitest';
import type { Plan, Step } from '../../main/helper/protocol';
import { planCreate, planDelete, planStart, planStop } from '../../main/core/plan/network-plans';
import { lookupNetwork, type KvmnetNetwork, type PlanContext } from '../../main/core/plan/plan-context';
import { addLaptopLan } from '../lab/laptop-lan';
import { labUnavailableReason, startLab, type Lab } from '../lab/lab';
import { startLibvirtd } from '../lab/libvirtd';
import { HelperProcess } from '../integration/helper/helper-process';
import { expectHostStateToBecome, settledHostState, skipDuplicateAddressDetection } from '../integration/helper/host-checks';
import { readPlanContext, specFor } from '../integration/plan-faults/planner-context';
import { warmUpLibvirt } from '../lab/libvirtd';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the plan fault matrix: ${skip}`);

/**
 * Every plan kind the planner makes — create, stop, start, delete × nat, routed, hostonly,
 * isolated × direct, libvirt, and routed with proxy ARP (direct) — with a real failure spliced in at every position in turn: the
 * helper must undo everything before it and leave the host snapshot exactly as it was.
 *
 * The failure is real: an earlier setup made kvfail, an owned bridge, so the kernel refuses a
 * second one (EEXIST). At position k it fails after the plan's first k real steps; at k = the
 * plan's length it fails after the whole plan, so the last step is undone too.
 *
 * One lab per backend and kind walks the network's life (create, stop, start, delete): each plan
 * is first failed at every position, then applied for real, which brings the lab to where the
 * next plan starts.
 */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' } as const satisfies Step;

type Kind = 'nat' | 'routed' | 'hostonly' | 'isolated' | 'proxyarp';
type Backend = 'direct' | 'libvirt';

const DRAFTS: Record<Kind, Record<string, unknown>> = {
  nat: { kind: 'nat', domain: 'pf.internal' },
  routed: { kind: 'routed', uplink: 'eth0' },
  hostonly: { kind: 'hostonly', ipv6: {} },
  isolated: { kind: 'isolated', mtu: 9000 },
  /** routed with proxy ARP on the uplink (direct backend only: libvirt refuses it) */
  proxyarp: { kind: 'routed', uplink: 'eth0', proxyArp: true },
};

const LIFE = ['create', 'stop', 'start', 'delete'] as const;
type Action = (typeof LIFE)[number];

const MATRIX: { backend: Backend; kind: Kind }[] = [
  ...(['direct', 'libvirt'] as const).flatMap((backend) => (['nat', 'routed', 'hostonly', 'isolated'] as const).map((kind) => ({ backend, kind }))),
  { backend: 'direct', kind: 'proxyarp' },
];

function planFor(action: Action, name: string, draft: Record<string, unknown>, context: PlanContext): Plan {
  if (action === 'create') return planCreate(specFor({ name, ...draft }, context), context);
  const lookup = lookupNetwork(name, context);
  if (!('found' in lookup)) throw new Error(`network ${name} is not there to ${action}`);
  const network: KvmnetNetwork = lookup.found;
  if (action === 'stop') return planStop(network);
  if (action === 'start') return planStart(network, context);
  return planDelete(network, context);
}

async function prepare(lab: Lab, backend: Backend): Promise<void> {
  // eth0's link-local address would otherwise get its local route seconds later, after `before` was read
  await skipDuplicateAddressDetection(lab);
  await addLaptopLan(lab);
  if (backend === 'direct') {
    // observe must not reach the machine's own libvirtd through the lab's copy of /run
    await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
    return;
  }
  await startLibvirtd(lab);
  await warmUpLibvirt(lab);
}

describe.skipIf(skip)('every plan kind fails at every step in turn: everything before the failure is undone, the host is as before', () => {
  it.concurrent.each(MATRIX)('$kind network on the $backend backend: create, stop, start, delete', async ({ backend, kind }) => {
    const name = `pf${kind.slice(0, 3)}${backend[0]}`;
    const draft = { ...DRAFTS[kind], backend };
    const lab = await startLab();
    const helper = HelperProcess.start(lab);
    let faults = 0;
    try {
      await prepare(lab, backend);
      expect((await helper.apply([FAIL])).response).toMatchObject({ ok: true });

      for (const action of LIFE) {
        const before = await settledHostState(lab);
        const { steps } = planFor(action, name, draft, await readPlanContext(lab, helper));
        expect(steps.length, `${action} plans at least one step`).toBeGreaterThan(0);
        const ops = steps.map((s) => s.op).join(', ');
        for (let k = 0; k <= steps.length; k++) {
          const at = `${action}: fault at position ${k} of ${ops}`;
          const { response, events } = await helper.apply([...steps.slice(0, k), FAIL, ...steps.slice(k)]);
          expect(response, at).toMatchObject({
            ok: false,
            error: { code: 'APPLY_FAILED', message: expect.stringContaining(`step ${k} (link.add) failed`), failure: { failedIndex: k, failedOp: 'link.add', undone: k, left: [] } },
          });
          expect('error' in response && response.error.failure!.reason, at).toMatch(/File exists/);
          expect(events.filter((e) => e.status === 'undone' && e.index !== k).map((e) => e.index), at).toEqual(steps.slice(0, k).map((_, i) => k - 1 - i));
          await expectHostStateToBecome(lab, before);
          // tools started ahead of steps that never ran were ended before the answer
          expect(await helper.children(), at).toEqual([]);
          faults++;
        }
        // the same plan without the fault goes through: the failures came from the fault alone
        expect((await helper.apply(steps)).response, `${action} without the fault`).toMatchObject({ ok: true, result: { applied: steps.length } });
        expect(await helper.children(), `${action} without the fault`).toEqual([]);
      }
      console.log(`plan fault matrix: ${kind} ${backend}: ${faults} faults injected, each rolled back to an identical host`);
    } finally {
      await helper.close();
      await lab.close();
    }
  });
});
