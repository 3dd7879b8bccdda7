import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../../main/helper/protocol';
import { planCreate } from '../../../main/core/plan/network-plans';
import { planDetachDomainNic } from '../../../main/core/plan/attach-plans';
import { lookupNetwork, type PlanContext } from '../../../main/core/plan/plan-context';
import { addLaptopLan } from '../../lab/laptop-lan';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startLibvirtd } from '../../lab/libvirtd';
import { HelperProcess } from '../helper/helper-process';
import { readPlanContext, specFor } from '../plan-faults/planner-context';

const skip = labUnavailableReason();
if (skip) console.log(`skipped detach rollback tests: ${skip}`);

/** fails for real after the detach: kvfail, an owned bridge made first, cannot be made twice */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' } as const satisfies Step;
const NETWORK = 'drlv';
const MAC = '52:54:00:64:72:01';
const ROM_MAC = '52:54:00:64:72:02';

/** a NIC with everything a user may have set on it that attach-interface cannot express */
const NIC = `<interface type='network'>
  <mac address='${MAC}'/>
  <source network='${NETWORK}'/>
  <model type='virtio'/>
  <driver name='qemu' queues='2'/>
  <link state='down'/>
  <mtu size='1400'/>
  <boot order='2'/>
  <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>
</interface>`;

/** a NIC whose ROM is a file on the host: KVMNet cannot put that back, so it must not take it away */
const ROM_NIC = `<interface type='network'><mac address='${ROM_MAC}'/><source network='${NETWORK}'/><model type='e1000'/><rom file='/run/pxe.rom'/></interface>`;

/** the domain boots from another NIC first, so libvirt keeps per-device boot orders when ours goes */
const FIRST_BOOT_NIC = `<interface type='network'><mac address='52:54:00:64:72:03'/><source network='default'/><model type='virtio'/><boot order='1'/></interface>`;

const DOMAIN = `<domain type='qemu'><name>drvm</name><memory unit='MiB'>64</memory>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices>${FIRST_BOOT_NIC}${NIC}${ROM_NIC}</devices></domain>`;

const networkIn = (c: PlanContext) => {
  const lookup = lookupNetwork(NETWORK, c);
  if (!('found' in lookup)) throw new Error(`network ${NETWORK} is not there`);
  return lookup.found;
};

/**
 * `kvmnet detach --vm` undone by a later failure puts the NIC back exactly as libvirt had it: the
 * same PCI slot, boot order, driver, link state and MTU, so the domain's definition reads the same.
 */
describe.skipIf(skip)('a rolled-back detach of a domain NIC', () => {
  let lab: Lab;
  let helper: HelperProcess;
  const virsh = (...args: string[]) => lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });
  /**
   * The definition, normalised only in the order of its `<interface>` elements: libvirt appends an
   * attached NIC after the others, while the guest sees NICs by their PCI slot, which is kept.
   */
  const definition = async () => {
    const xml = await virsh('dumpxml', '--inactive', 'drvm');
    const nics = xml.match(/ *<interface [\s\S]*?<\/interface>\n/g) ?? [];
    const rest = nics.reduce((text, nic) => text.replace(nic, ''), xml);
    return `${rest}${[...nics].sort().join('')}`;
  };

  beforeAll(async () => {
    lab = await startLab();
    helper = HelperProcess.start(lab);
    await addLaptopLan(lab);
    await startLibvirtd(lab);
    expect((await helper.apply([FAIL])).response).toMatchObject({ ok: true });
    const context = await readPlanContext(lab, helper);
    expect((await helper.request({ method: 'apply', plan: planCreate(specFor({ name: NETWORK, kind: 'nat', backend: 'libvirt' }, context), context) })).response).toMatchObject({ ok: true });
    await lab.sh('tee', ['/run/drvm.xml'], { input: DOMAIN });
    await virsh('define', '/run/drvm.xml');
  }, 120_000);

  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it('puts the NIC back with its PCI address, boot order and settings: the definition is the same as before', async () => {
    const before = await definition();
    expect(before).toContain("slot='0x07'");
    expect(before).toContain("<boot order='2'/>");
    const { steps } = planDetachDomainNic(networkIn(await readPlanContext(lab, helper)), 'drvm', MAC);

    const { response } = await helper.apply([...steps, FAIL]);
    expect(response).toMatchObject({ ok: false, error: { code: 'APPLY_FAILED', failure: { failedIndex: 1, undone: 1, left: [] } } });
    expect(await definition()).toBe(before);

    // without the fault the detach goes through: the rollback above had something to undo
    expect((await helper.apply(steps)).response).toMatchObject({ ok: true });
    expect(await definition()).not.toContain(MAC);
  }, 120_000);

  it('refuses to detach the only NIC with a boot order: libvirt would make the disk the boot device and not take the order back', async () => {
    await lab.sh('tee', ['/run/drboot.xml'], { input: DOMAIN.replace('drvm', 'drboot').replace(FIRST_BOOT_NIC, '').replace(ROM_NIC, '') });
    await virsh('define', '/run/drboot.xml');
    const before = await virsh('dumpxml', '--inactive', 'drboot');
    const { steps } = planDetachDomainNic(networkIn(await readPlanContext(lab, helper)), 'drboot', MAC);
    const { response } = await helper.apply([...steps, FAIL]);
    expect(response).toMatchObject({ ok: false, error: { message: expect.stringMatching(/only boot device of domain drboot/) } });
    expect(await virsh('dumpxml', '--inactive', 'drboot')).toBe(before);
  }, 120_000);

  it('refuses to detach a NIC it could not put back (a ROM file on the host), and leaves it', async () => {
    const before = await definition();
    const { steps } = planDetachDomainNic(networkIn(await readPlanContext(lab, helper)), 'drvm', ROM_MAC);
    const { response } = await helper.apply(steps);
    expect(response).toMatchObject({ ok: false, error: { message: expect.stringMatching(/attribute file.*could not put the NIC 52:54:00:64:72:02 of domain drvm back/) } });
    expect(await definition()).toBe(before);
  }, 120_000);
});
