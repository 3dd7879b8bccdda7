import { describe, expect, it } from 'vitest';
import { planCreate, planDelete, planStart, planStop } from '../../main/core/plan/network-plans';
import { lookupNetwork, type PlanContext } from '../../main/core/plan/plan-context';
import type { HelperMessage, Step } from '../../main/helper/protocol';
import { readHostState, type HostState } from '../lab/host-state';
import { labUnavailableReason, startLab, type Lab } from '../lab/lab';
import { addLaptopLan } from '../lab/laptop-lan';
import { startLibvirtd } from '../lab/libvirtd';
import { HelperProcess } from '../integration/helper/helper-process';
import { comparable, skipDuplicateAddressDetection } from '../integration/helper/host-checks';
import { readPlanContext, specFor } from '../integration/plan-faults/planner-context';
import { warmUpLibvirt } from '../lab/libvirtd';
import { ownedInconsistencies, restorable } from './owned-consistency';
import { seededRandom, seedFrom, type Random } from './seeded-random';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the kill -9 record: ${skip}`);

/**
 * `kill -9` of the helper at a random point of each of 200 applies (create, stop, start, delete of
 * direct and libvirt networks, some failing at their end so that the kill can land in the
 * rollback). After each kill the next helper's start recovers the journal, and the host must be
 * consistent: exactly as before the apply when a journal was rolled back, and in every case
 * nothing half-made and nothing owned-but-forgotten (owned-consistency.ts).
 *
 * Seeded: the seed is printed, and KVMNET_RELIABILITY_SEED=<seed> replays the same networks,
 * actions, failures and kill points. Two labs share the applies, side by side.
 */
const APPLIES = Number(process.env.KVMNET_RELIABILITY_APPLIES ?? 200);

/** fails for real at the end of a plan (the kernel refuses a second kvfail): the kill may then land in the rollback */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' } as const satisfies Step;

interface Pool {
  name: string;
  libvirtd: boolean;
  networks: { name: string; draft: Record<string, unknown> }[];
}

const POOLS: Pool[] = [
  {
    name: 'direct networks',
    libvirtd: false,
    networks: [
      { name: 'crnat', draft: { kind: 'nat', backend: 'direct' } },
      { name: 'crrouted', draft: { kind: 'routed', backend: 'direct', uplink: 'eth0' } },
      { name: 'crho', draft: { kind: 'hostonly', backend: 'direct' } },
      { name: 'criso', draft: { kind: 'isolated', backend: 'direct' } },
      { name: 'crparp', draft: { kind: 'routed', backend: 'direct', uplink: 'eth0', proxyArp: true } },
    ],
  },
  {
    name: 'libvirt and direct networks',
    libvirtd: true,
    networks: [
      { name: 'lvnat', draft: { kind: 'nat', backend: 'libvirt' } },
      { name: 'lviso', draft: { kind: 'isolated', backend: 'libvirt' } },
      { name: 'crnat2', draft: { kind: 'nat', backend: 'direct' } },
      { name: 'crho2', draft: { kind: 'hostonly', backend: 'direct' } },
    ],
  },
];

/** what the user does next to this network, chosen at random among what makes sense now */
function nextPlan(random: Random, pool: Pool, context: PlanContext): { what: string; steps: Step[] } {
  const { name, draft } = random.pick(pool.networks);
  const lookup = lookupNetwork(name, context);
  if (!('found' in lookup)) return { what: `create ${name}`, steps: planCreate(specFor({ name, ...draft }, context), context).steps };
  const network = lookup.found;
  const active = network.backend === 'direct' ? network.active : network.network.active;
  const action = random.pick(active ? ['stop', 'delete'] as const : ['start', 'delete'] as const);
  const plan = action === 'stop' ? planStop(network) : action === 'start' ? planStart(network, context) : planDelete(network, context);
  return { what: `${action} ${name}`, steps: plan.steps };
}

const stable = async (lab: Lab): Promise<HostState> => restorable(comparable(await readHostState(lab)));

/** the host becomes `expected` within a moment (links, addresses and routes land shortly after the command) */
async function becomes(lab: Lab, expected: HostState, tries = 12): Promise<HostState> {
  let current = await stable(lab);
  for (let i = 0; i < tries && JSON.stringify(current) !== JSON.stringify(expected); i++) {
    await new Promise((r) => setTimeout(r, 200));
    current = await stable(lab);
  }
  return current;
}

const eventsOf = (messages: readonly HelperMessage[], from: number, id: string) => messages.slice(from).filter((m) => m.id === id && 'event' in m).length;
const answered = (messages: readonly HelperMessage[], from: number, id: string) => messages.slice(from).some((m) => m.id === id && 'ok' in m);

describe.skipIf(skip)('kill -9 of the helper at random points during 200 applies', () => {
  const seed = seedFrom('KVMNET_RELIABILITY_SEED', 'kill -9 record');

  // about a second per apply on an idle 2-core machine; the bound leaves room for a loaded one
  it.concurrent.each(POOLS.map((pool, i) => ({ pool, i })))('$pool.name: each kill is recovered by the next helper, the host consistent', { timeout: 1_200_000 }, async ({ pool, i }) => {
    const random = seededRandom(seed + i);
    const applies = Math.ceil(APPLIES / POOLS.length) - (i === 0 ? 0 : APPLIES % POOLS.length);
    const lab = await startLab();
    const tally = { rolledBack: 0, rolledBackByItself: 0, completed: 0, killedBeforeJournal: 0, duringRollback: 0 };
    let helper = HelperProcess.start(lab);
    try {
      await skipDuplicateAddressDetection(lab);
      await addLaptopLan(lab);
      if (pool.libvirtd) {
        await startLibvirtd(lab);
        await warmUpLibvirt(lab);
      } else await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
      expect((await helper.apply([FAIL])).response).toMatchObject({ ok: true });
      let before = await stable(lab);
      let context = await readPlanContext(lab, helper);

      for (let n = 0; n < applies; n++) {
        const { what, steps } = nextPlan(random, pool, context);
        if (steps.length === 0) throw new Error(`${what} planned nothing: the pool's choices must always change something`);
        const failing = random.chance(0.2);
        const plan = failing ? [...steps, FAIL] : steps;
        // each step reports running and done, a failing plan also undoing and undone per step; a third
        // of the kills land once the apply has answered, so that networks come to exist and the
        // stop, start and delete plans are killed too
        const events = 2 * plan.length + (failing ? 2 * steps.length : 0);
        const killAfter = random.chance(1 / 3) ? Infinity : random.int(0, events);
        const where = `apply ${n + 1}/${applies} (${what}${failing ? ', failing at its end' : ''}), kill after ${killAfter} progress event(s)`;

        const from = helper.messages.length;
        const id = `doomed${n}`;
        helper.sendLine(JSON.stringify({ id, method: 'apply', plan: { steps: plan } }));
        await helper.waitFor((m) => eventsOf(m, from, id) >= killAfter || answered(m, from, id));
        const rollbackSeen = helper.messages.slice(from).some((m) => m.id === id && 'status' in m && (m.status === 'undoing' || m.status === 'undone'));
        await helper.kill9();
        const gotAnswer = answered(helper.messages, from, id);

        helper = HelperProcess.start(lab);
        const { response } = await helper.request({ method: 'ping' });
        expect(response, where).toMatchObject({ ok: true });
        const recovered = 'result' in response ? (response.result as { recovered: number }).recovered : -1;
        expect(recovered, where).toBeLessThanOrEqual(1);

        let now: HostState;
        if (recovered === 1 || (gotAnswer && failing)) {
          // rolled back (by the next helper, or by the helper itself before it answered): exactly as before
          now = await becomes(lab, before);
          expect(now, where).toEqual(before);
          if (recovered === 1) tally.rolledBack++;
          else tally.rolledBackByItself++;
          if (rollbackSeen && recovered === 1) tally.duringRollback++;
        } else {
          // no journal: the kill came before the first one was written (nothing ran) or after the last was removed (all ran)
          // most often it completed: a short look, not the full wait for `before`
          now = await becomes(lab, before, 2);
          if (JSON.stringify(now) === JSON.stringify(before)) tally.killedBeforeJournal++;
          else tally.completed++;
        }
        // the helper's observe of this moment serves both the check and the next plan
        context = await readPlanContext(lab, helper);
        // kvfail is the test's own owned link (owner "fail"), there to make plans fail
        const problems = (await ownedInconsistencies(lab, now, context.snapshot)).filter((p) => !p.startsWith('link kvfail '));
        expect(problems, where).toEqual([]);
        before = now;
      }
      console.log(`kill -9 record, ${pool.name} (seed ${seed + i}): ${applies} applies killed: ${tally.rolledBack} rolled back by the next helper (${tally.duringRollback} killed mid-rollback), ${tally.rolledBackByItself} failed and rolled back before the kill, ${tally.completed} had completed, ${tally.killedBeforeJournal} killed before anything ran; host consistent after each`);
    } finally {
      await helper.close();
      await lab.close();
    }
  });
});
