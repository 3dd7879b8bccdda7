import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostSnapshot } from '../../main/core/host-snapshot';
import { readHostState } from '../lab/host-state';
import { labUnavailableReason, startLab, type Lab } from '../lab/lab';
import { HelperProcess } from '../integration/helper/helper-process';
import { directUpSteps, natSpec } from '../integration/helper/network-fixtures';
import { ownedInconsistencies } from './owned-consistency';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the consistency oracle test: ${skip}`);

/** The oracle of the kill -9 record must see what it is there to see: half-made and forgotten things. */
describe.skipIf(skip)('ownedInconsistencies', () => {
  let lab: Lab;
  let helper: HelperProcess;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
    helper = HelperProcess.start(lab);
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  const problems = async () => {
    const observed = (await helper.request({ method: 'observe' })).response;
    if (!observed.ok) throw new Error(observed.error.message);
    return ownedInconsistencies(lab, await readHostState(lab), HostSnapshot.parse(observed.result));
  };

  it('names a running network without a record as owned-but-forgotten', async () => {
    expect((await helper.apply(directUpSteps(natSpec))).response).toMatchObject({ ok: true });
    expect(await problems()).toEqual(expect.arrayContaining([
      'link kvlab0 is owned by lab, which has no record naming it',
      'inet kvmnet holds rules of lab, which does not run',
      'a dnsmasq of lab runs, which is not a running network',
    ]));
  });

  it('finds nothing once the record and the boot unit are there', async () => {
    expect((await helper.apply([{ op: 'record.write', record: { version: 1, spec: natSpec, ipForwardBefore: '0' } }, { op: 'boot.unit', enabled: true }])).response).toMatchObject({ ok: true });
    expect(await problems()).toEqual([]);
  });

  it('names a network whose bridge went while its rules and dnsmasq stayed as half-made', async () => {
    await lab.sh('ip', ['link', 'delete', natSpec.bridge]);
    expect(await problems()).toEqual(expect.arrayContaining(['lab is stopped but keeps firewall rules and a dnsmasq']));
  });
});
