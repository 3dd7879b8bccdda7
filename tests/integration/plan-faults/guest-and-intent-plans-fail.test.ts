import { describe, expect, it } from 'vitest';
import type { Plan, Step } from '../../../main/helper/protocol';
import { planCreate } from '../../../main/core/plan/network-plans';
import { planAttachDomainNic, planAttachTap, planDetachDomainNic, planDetachTap } from '../../../main/core/plan/attach-plans';
import { lookupNetwork, type KvmnetNetwork, type PlanContext } from '../../../main/core/plan/plan-context';
import { planNetworkUpdate, withIntent } from '../../../main/core/plan/network-update';
import { addLaptopLan } from '../../lab/laptop-lan';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startLibvirtd, warmUpLibvirt } from '../../lab/libvirtd';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import { HelperProcess } from '../helper/helper-process';
import { expectHostStateToBecome, settledHostState, skipDuplicateAddressDetection } from '../helper/host-checks';
import { readPlanContext, specFor } from './planner-context';

const skip = labUnavailableReason();
if (skip) console.log(`skipped plan fault tests: ${skip}`);

/**
 * Fails for real anywhere in a plan: an earlier setup made kvfail, an owned bridge, so the kernel
 * refuses a second one (EEXIST). Spliced in at position k, it fails after the plan's first k real steps.
 */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' } as const satisfies Step;

interface PlanCase {
  name: string;
  libvirtd?: boolean;
  /** brings the lab to where the plan starts (a network to delete …); the FAIL link already exists */
  arrange?(lab: Lab, helper: HelperProcess): Promise<void>;
  plan(context: PlanContext): Plan;
  /** the ops the planner must produce here, so that a planner change shows instead of silently testing less */
  ops: string[];
}

const DIRECT_NAT = { name: 'pfnat', kind: 'nat', backend: 'direct', domain: 'pf.internal' };
const LIBVIRT_NAT = { name: 'pflv', kind: 'nat', backend: 'libvirt' };
const GUEST_TAP = { name: 'kvt-pf-0', user: 4242, mac: '52:54:00:70:66:01' };
const DOMAIN_XML = "<domain type='qemu'><name>pfvm</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>";

const networkIn = (c: PlanContext, name: string): KvmnetNetwork => {
  const lookup = lookupNetwork(name, c);
  if (!('found' in lookup)) throw new Error(`network ${name} is not there`);
  return lookup.found;
};

/** a KVMNet network created through the helper, as the CLI would */
async function createThrough(lab: Lab, helper: HelperProcess, draft: Record<string, unknown>): Promise<void> {
  const context = await readPlanContext(lab, helper);
  expect((await helper.request({ method: 'apply', plan: planCreate(specFor(draft, context), context) })).response).toMatchObject({ ok: true });
}

async function applyThrough(lab: Lab, helper: HelperProcess, plan: (c: PlanContext) => Plan): Promise<void> {
  expect((await helper.request({ method: 'apply', plan: plan(await readPlanContext(lab, helper)) })).response).toMatchObject({ ok: true });
}

async function defineDomain(lab: Lab): Promise<void> {
  await lab.sh('tee', ['/run/pfvm.xml'], { input: DOMAIN_XML });
  await lab.sh('virsh', ['-c', 'qemu:///system', 'define', '/run/pfvm.xml']);
}

const CASES: PlanCase[] = [
  {
    name: 'attach --print qemu (direct): a user\'s tap on the bridge, in the record',
    arrange: (lab, helper) => createThrough(lab, helper, DIRECT_NAT),
    plan: (c) => planAttachTap(networkIn(c, DIRECT_NAT.name), GUEST_TAP),
    ops: ['link.add', 'link.setMaster', 'link.setState', 'record.write'],
  },
  {
    name: 'detach --tap (direct)',
    async arrange(lab, helper) {
      await createThrough(lab, helper, DIRECT_NAT);
      await applyThrough(lab, helper, (c) => planAttachTap(networkIn(c, DIRECT_NAT.name), GUEST_TAP));
    },
    plan: (c) => planDetachTap(networkIn(c, DIRECT_NAT.name), GUEST_TAP.name),
    ops: ['record.write', 'link.delete'],
  },
  {
    name: 'attach --print qemu (libvirt): a user\'s tap on libvirt\'s bridge',
    libvirtd: true,
    arrange: (lab, helper) => createThrough(lab, helper, LIBVIRT_NAT),
    plan: (c) => planAttachTap(networkIn(c, LIBVIRT_NAT.name), GUEST_TAP),
    ops: ['link.add', 'libvirt.attachTap', 'link.setState'],
  },
  {
    name: 'attach --vm (libvirt network, shut-off domain)',
    libvirtd: true,
    async arrange(lab, helper) {
      await createThrough(lab, helper, LIBVIRT_NAT);
      await defineDomain(lab);
    },
    plan: (c) => planAttachDomainNic(networkIn(c, LIBVIRT_NAT.name), 'pfvm', GUEST_TAP.mac, 'virtio'),
    ops: ['libvirt.attachInterface'],
  },
  {
    name: 'detach --vm (direct network\'s bridge, shut-off domain)',
    libvirtd: true,
    async arrange(lab, helper) {
      await createThrough(lab, helper, DIRECT_NAT);
      await defineDomain(lab);
      await applyThrough(lab, helper, (c) => planAttachDomainNic(networkIn(c, DIRECT_NAT.name), 'pfvm', GUEST_TAP.mac, 'e1000e'));
    },
    plan: (c) => planDetachDomainNic(networkIn(c, DIRECT_NAT.name), 'pfvm', GUEST_TAP.mac),
    ops: ['libvirt.detachInterface'],
  },
  {
    name: 'add a forward and a reservation (direct, running)',
    async arrange(lab, helper) {
      const context = await readPlanContext(lab, helper);
      expect((await helper.request({ method: 'apply', plan: planCreate(specFor(DIRECT_NAT, context), context) })).response).toMatchObject({ ok: true });
    },
    plan(c) {
      const record = c.records.find((r) => r.spec.name === DIRECT_NAT.name);
      if (!record?.spec.ipv4) throw new Error(`network ${DIRECT_NAT.name} is not there to change`);
      const guest = record.spec.ipv4.gateway.replace(/\.1$/, '.50');
      const forward = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: guest, port: { start: 80, end: 80 } } } as const;
      return planNetworkUpdate({ current: record.spec, record, active: true }, withIntent(record.spec, [forward], [{ mac: '52:54:00:6b:72:01', ip: guest }]), 'update');
    },
    ops: ['nft.network', 'dnsmasq.hosts', 'record.write'],
  },
  (() => {
    let created: NetworkSpec | undefined;
    return {
      name: 'add a forward and a reservation (libvirt, running)',
      libvirtd: true,
      async arrange(lab: Lab, helper: HelperProcess) {
        await warmUpLibvirt(lab);
        const context = await readPlanContext(lab, helper);
        created = specFor({ name: 'pflvfw', kind: 'nat', backend: 'libvirt' }, context);
        expect((await helper.request({ method: 'apply', plan: planCreate(created, context) })).response).toMatchObject({ ok: true });
      },
      plan() {
        if (!created?.ipv4) throw new Error('the libvirt network was not created');
        const guest = created.ipv4.gateway.replace(/\.1$/, '.50');
        const forward = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: guest, port: { start: 80, end: 80 } } } as const;
        return planNetworkUpdate({ current: created, active: true }, withIntent(created, [forward], [{ mac: '52:54:00:6b:72:02', ip: guest }]), 'update');
      },
      ops: ['libvirt.define', 'libvirt.dhcpHost', 'nft.network', 'boot.forwardsUnit'],
    };
  })(),
];

describe.skipIf(skip)('each step of the guest (attach) and intent (forward, reservation) plans fails in turn: everything before it is undone', () => {
  it.concurrent.each(CASES)('$name', async ({ libvirtd, arrange, plan: planFor, ops }) => {
    const lab = await startLab();
    const helper = HelperProcess.start(lab);
    try {
      // eth0's link-local address would otherwise get its local route seconds later, under load after `before` was read
      await skipDuplicateAddressDetection(lab);
      await addLaptopLan(lab);
      if (libvirtd) await startLibvirtd(lab);
      // observe must not reach the machine's own libvirtd through the lab's copy of /run
      else await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
      expect((await helper.apply([FAIL])).response).toMatchObject({ ok: true });
      await arrange?.(lab, helper);
      const before = await settledHostState(lab);
      const { steps } = planFor(await readPlanContext(lab, helper));
      expect(steps.map((s) => s.op)).toEqual(ops);

      // k = steps.length: the fault comes after the whole plan, so the last step is undone too
      for (let k = 0; k <= steps.length; k++) {
        const at = `fault at position ${k} of ${ops.join(', ')}`;
        const spliced = [...steps.slice(0, k), FAIL, ...steps.slice(k)];
        const { response, events } = await helper.apply(spliced);
        expect(response, `${at}: ${JSON.stringify(response).slice(0, 600)}`).toMatchObject({
          ok: false,
          error: { code: 'APPLY_FAILED', message: expect.stringContaining(`step ${k} (link.add) failed`), failure: { failedIndex: k, failedOp: 'link.add', undone: k, left: [] } },
        });
        expect('error' in response && response.error.failure!.reason, at).toMatch(/File exists/);
        expect(events.filter((e) => e.status === 'failed').map((e) => e.index), at).toEqual([k]);
        expect(events.filter((e) => e.status === 'undone' && e.index !== k).map((e) => e.index), at).toEqual(steps.slice(0, k).map((_, i) => k - 1 - i));
        await expectHostStateToBecome(lab, before);
      }

      // the same plan without the fault goes through: the failures above came from the fault alone
      expect((await helper.apply(steps)).response).toMatchObject({ ok: true, result: { applied: steps.length } });
    } finally {
      await helper.close();
      await lab.close();
    }
  });
});
