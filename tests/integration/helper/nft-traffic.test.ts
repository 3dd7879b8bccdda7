import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import { HelperProcess } from './helper-process';
import { hostState, skipDuplicateAddressDetection } from './host-checks';
import { addForeignFirewall, directUpSteps, hostonlySpec, natSpec } from './network-fixtures';
import { specMatrix } from '../../unit/core/render/spec-matrix';

const skip = labUnavailableReason();
if (skip) console.log(`skipped nftables table tests: ${skip}`);

/** a namespace inside the lab, wired to `bridge` (or to the lab itself) by a veth pair, with an address and a default route */
async function attach(lab: Lab, name: string, hostEnd: { bridge?: string; address?: string }, address: string, gateway: string): Promise<void> {
  await lab.sh('ip', ['netns', 'add', name]);
  await lab.sh('ip', ['link', 'add', `${name}-h`, 'type', 'veth', 'peer', 'name', `${name}-n`]);
  await lab.sh('ip', ['link', 'set', `${name}-n`, 'netns', name]);
  if (hostEnd.bridge) await lab.sh('ip', ['link', 'set', `${name}-h`, 'master', hostEnd.bridge]);
  if (hostEnd.address) await lab.sh('ip', ['addr', 'add', hostEnd.address, 'dev', `${name}-h`]);
  await lab.sh('ip', ['link', 'set', `${name}-h`, 'up']);
  await lab.sh('ip', ['-n', name, 'addr', 'add', address, 'dev', `${name}-n`]);
  await lab.sh('ip', ['-n', name, 'link', 'set', `${name}-n`, 'up']);
  await lab.sh('ip', ['-n', name, 'route', 'add', 'default', 'via', gateway]);
}

const ping = async (lab: Lab, from: string, to: string) =>
  (await lab.run('ip', ['netns', 'exec', from, 'busybox', 'ping', '-c', '1', '-W', '1', to])).exitCode === 0;

describe.skipIf(skip)('KVMNet\'s nftables table with real traffic', () => {
  let lab: Lab;
  let helper: HelperProcess;

  beforeAll(async () => {
    lab = await startLab();
    await skipDuplicateAddressDetection(lab);
    await addForeignFirewall(lab);
    helper = HelperProcess.start(lab);
    // "the internet": a namespace on its own subnet, with no route back to any guest subnet
    await attach(lab, 'up', { address: '198.51.100.1/24' }, '198.51.100.2/24', '198.51.100.1');
    expect((await helper.apply([...directUpSteps(natSpec), ...directUpSteps(hostonlySpec)])).response).toMatchObject({ ok: true });
    await attach(lab, 'natvm', { bridge: natSpec.bridge }, '10.80.0.50/24', '10.80.0.1');
    await attach(lab, 'hovm', { bridge: hostonlySpec.bridge }, '10.81.0.50/24', '10.81.0.1');
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it('a NAT guest reaches a host that has no route back to it: its traffic is masqueraded', async () => {
    expect(await ping(lab, 'natvm', '198.51.100.2')).toBe(true);
  });

  it('drops what a host-only guest sends beyond the host, traffic between networks, and new connections into a NAT network', async () => {
    // from here on "the internet" has routes back to both guest subnets: only KVMNet's rules stand in the way
    await lab.sh('ip', ['-n', 'up', 'route', 'add', '10.80.0.0/24', 'via', '198.51.100.1']);
    await lab.sh('ip', ['-n', 'up', 'route', 'add', '10.81.0.0/24', 'via', '198.51.100.1']);
    const blocked = [['hovm', '198.51.100.2'], ['up', '10.81.0.50'], ['up', '10.80.0.50'], ['hovm', '10.80.0.50'], ['natvm', '10.81.0.50']] as const;
    const reachable = () => Promise.all(blocked.map(([from, to]) => ping(lab, from, to)));
    expect(await ping(lab, 'hovm', '10.81.0.1')).toBe(true);
    expect(await reachable()).toEqual(blocked.map(() => false));

    // the same traffic passes once the two networks' rules are gone: it was the rules that stopped it
    expect((await helper.apply([{ op: 'nft.network', network: 'lab', spec: null }, { op: 'nft.network', network: 'ho', spec: null }])).response).toMatchObject({ ok: true });
    expect(await reachable()).toEqual(blocked.map(() => true));
  });
});

describe.skipIf(skip)('KVMNet\'s nftables table for every shape of network', () => {
  let lab: Lab;
  let helper: HelperProcess;

  beforeAll(async () => {
    lab = await startLab();
    await addForeignFirewall(lab);
    helper = HelperProcess.start(lab);
    expect((await helper.apply(directUpSteps(natSpec))).response).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it('every shape of network the wizards make loads into the table at once, and leaves with the foreign table untouched', async () => {
    const before = await hostState(lab);
    const direct = specMatrix.map(({ spec }) => ({ ...spec, backend: 'direct' }) as NetworkSpec);
    const links = direct.map((s) => ({ op: 'link.add', kind: 'bridge', name: s.bridge, network: s.name }));
    expect((await helper.apply([...links, ...direct.map((s) => ({ op: 'nft.network', network: s.name, spec: s }))])).response).toMatchObject({ ok: true });
    const table = await lab.sh('nft', ['list', 'table', 'inet', 'kvmnet']);
    for (const spec of direct) expect(table).toContain(`comment "kvmnet:${spec.name}"`);

    expect((await helper.apply(direct.map((s) => ({ op: 'nft.network', network: s.name, spec: null })))).response).toMatchObject({ ok: true });
    const after = await hostState(lab);
    expect({ nftables: after.nftables, files: after.files }).toEqual({ nftables: before.nftables, files: before.files });
  });
});
