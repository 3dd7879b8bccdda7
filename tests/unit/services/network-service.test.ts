import { describe, expect, it, vi } from 'vitest';
import type { PrivilegeState } from '../../../main/core/privilege-state';
import { toHostNetworkState } from '../../../main/engine/host-network-state';
import type { Plan, ProgressEvent } from '../../../main/helper/protocol';
import { HelperRequestError } from '../../../main/privilege/helper-errors';
import { createNetworkService, type NetworkServiceDeps } from '../../../main/services/network-service';
import { bareSnapshot, record, specs } from '../core/plan/plan-fixture';

type Apply = (plan: Plan, onProgress?: (event: ProgressEvent) => void) => Promise<{ applied: number }>;

/** the service on a described laptop (one direct network "lab"), with a helper the test scripts */
function service(options: { apply?: Apply; elevate?: PrivilegeState } = {}) {
  const readState = vi.fn(async () => toHostNetworkState(bareSnapshot(), { records: [record(specs.nat)], problems: [] }, [], '1'));
  const apply = vi.fn<Apply>(options.apply ?? (async (plan, onProgress) => {
    plan.steps.forEach((step, index) => onProgress?.({ id: 'r1', event: 'progress', index, total: plan.steps.length, op: step.op, status: 'done' }));
    return { applied: plan.steps.length };
  }));
  const elevate = vi.fn(async () => options.elevate ?? ({ status: 'elevated', method: 'root', helperPid: 1 } as const));
  const deps: NetworkServiceDeps = {
    readState,
    changed: vi.fn(),
    privilege: { elevate, helper: () => ({ apply }) },
    vhostNet: () => false,
    saveScript: vi.fn(async (name: string) => `/tmp/${name}`),
    random: () => 0.5,
  };
  return { networks: createNetworkService(deps), deps, apply, elevate, readState };
}

describe('network service', () => {
  it('validates a draft with the CLI\'s validator and completes it with this host\'s defaults', async () => {
    const { networks } = service();
    const ok = await networks.validate({ name: 'web', kind: 'nat' });
    expect(ok.issues).toEqual([]);
    expect(ok.spec).toMatchObject({ name: 'web', kind: 'nat', backend: 'libvirt', bridge: 'kv-web', autostart: true });
    expect(ok.spec?.ipv4?.subnet).not.toBe('10.80.0.0/24'); // lab has it
    const clash = await networks.validate({ name: 'web', ipv4: { subnet: '10.80.0.0/24' } });
    expect(clash.spec).toBeNull();
    expect(clash.issues).toEqual([expect.objectContaining({ field: 'ipv4.subnet', message: expect.stringMatching(/overlaps .*lab.*pick another/) })]);
  });

  it('reads the host once for a burst of checks, and afresh for a change', async () => {
    const { networks, readState } = service();
    await Promise.all([networks.validate({ name: 'a' }), networks.validate({ name: 'ab' }), networks.plan({ name: 'abc' })]);
    expect(readState).toHaveBeenCalledTimes(1);
    await networks.create('run-1', { name: 'abc' });
    expect(readState).toHaveBeenCalledTimes(2);
  });

  it('previews a plan as steps, shell commands and, for libvirt, XML', async () => {
    const { networks } = service();
    const preview = await networks.plan({ name: 'web', backend: 'libvirt' });
    expect(preview.steps.map((s) => s.op)).toEqual(['libvirt.define', 'libvirt.autostart', 'libvirt.start']);
    expect(preview.shell).toContain('virsh -c qemu:///system net-start web');
    expect(preview.xml).toContain('<name>web</name>');
    const direct = await networks.plan({ name: 'web2', backend: 'direct' });
    expect(direct.xml).toBeNull();
    expect(direct.shell).toContain('ip link add name kv-web2 type bridge');
  });

  it('refuses a bad draft before anything runs, naming the field', async () => {
    const { networks, apply, elevate } = service();
    await expect(networks.create('run-1', { name: 'lab' })).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
    expect(elevate).not.toHaveBeenCalled();
    expect(apply).not.toHaveBeenCalled();
  });

  it('creates through the session\'s helper and pushes each step\'s progress with its run id', async () => {
    const { networks, elevate } = service();
    const seen: unknown[] = [];
    networks.subscribe((p) => seen.push([p.runId, p.index, p.step.op, p.status]));
    const result = await networks.create('run-7', { name: 'web', backend: 'libvirt' });
    expect(elevate).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ status: 'done', rolledBack: [], left: [] });
    expect(seen).toEqual([['run-7', 0, 'libvirt.define', 'done'], ['run-7', 1, 'libvirt.autostart', 'done'], ['run-7', 2, 'libvirt.start', 'done']]);
  });

  it('says which step failed and which were undone', async () => {
    const { networks } = service({
      apply: async (plan, onProgress) => {
        const total = plan.steps.length;
        onProgress?.({ id: 'r', event: 'progress', index: 0, total, op: 'libvirt.define', status: 'done' });
        onProgress?.({ id: 'r', event: 'progress', index: 1, total, op: 'libvirt.autostart', status: 'done' });
        onProgress?.({ id: 'r', event: 'progress', index: 2, total, op: 'libvirt.start', status: 'failed', message: 'no' });
        onProgress?.({ id: 'r', event: 'progress', index: 1, total, op: 'libvirt.autostart', status: 'undone' });
        onProgress?.({ id: 'r', event: 'progress', index: 0, total, op: 'libvirt.define', status: 'undone' });
        throw new HelperRequestError({ code: 'APPLY_FAILED', message: 'failed', failure: { failedIndex: 2, failedOp: 'libvirt.start', reason: 'bridge busy\n', undone: 2, left: [] } });
      },
    });
    const result = await networks.create('run-2', { name: 'web', backend: 'libvirt' });
    expect(result).toMatchObject({ status: 'failed', failedIndex: 2, reason: 'bridge busy', rolledBack: [0, 1], left: [] });
  });

  it('tells its host read that the host changed after every run, done or failed', async () => {
    const { networks, deps } = service({ apply: async () => { throw new HelperRequestError({ code: 'APPLY_FAILED', message: 'failed', failure: { failedIndex: 0, failedOp: 'libvirt.define', reason: 'no', undone: 0, left: [] } }); } });
    expect(deps.changed).not.toHaveBeenCalled();
    await networks.create('run-1', { name: 'web', backend: 'libvirt' });
    expect(deps.changed).toHaveBeenCalledTimes(1);
  });

  it('changes nothing without administrator rights, and says so', async () => {
    const { networks, apply } = service({ elevate: { status: 'refused', reason: 'dismissed', message: 'the dialog was closed' } });
    const result = await networks.start('run-3', 'lab');
    expect(result).toMatchObject({ status: 'no-root', reason: 'the dialog was closed' });
    expect(apply).not.toHaveBeenCalled();
  });

  it('runs one change at a time', async () => {
    let release: (() => void) | undefined;
    const { networks } = service({ apply: (plan) => new Promise((resolve) => { release = () => resolve({ applied: plan.steps.length }); }) });
    const first = networks.start('run-a', 'lab');
    await vi.waitFor(() => expect(release).toBeDefined());
    await expect(networks.start('run-b', 'lab')).rejects.toMatchObject({ code: 'BUSY' });
    release!();
    await expect(first).resolves.toMatchObject({ status: 'done' });
  });

  it('turns autostart off by rewriting a direct network\'s record, and has nothing to do when it is off already', async () => {
    const { networks, apply } = service();
    const off = await networks.autostart('run-4', 'lab', false);
    expect(off.status).toBe('done');
    expect(apply.mock.calls[0]![0].steps).toEqual([{ op: 'record.write', record: record({ ...specs.nat, autostart: false }) }]);
    const on = await networks.autostart('run-5', 'lab', true);
    expect(on).toMatchObject({ status: 'nothing-to-do', steps: [] });
  });

  it('refuses to change a network it does not know', async () => {
    const { networks } = service();
    await expect(networks.delete('run-6', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'name' });
  });

  it('gives attach snippets with one fresh MAC, and a tap name clear of the host\'s links', async () => {
    const { networks } = service();
    const snippets = await networks.attachSnippets('lab');
    expect(snippets.mac).toMatch(/^52:54:00:/);
    expect(snippets.tap).toBe('kvt-lab-0');
    expect(snippets.qemu).toBe(`-netdev tap,id=kvt-lab-0,ifname=kvt-lab-0,script=no,downscript=no \\\n-device virtio-net-pci,netdev=kvt-lab-0,mac=${snippets.mac}`);
    expect(snippets.virtInstall).toBe(`--network bridge=kv-lab,model=virtio,mac=${snippets.mac}`);
    expect(snippets.qemuIfup?.name).toBe('qemu-ifup-lab');
  });

  it('exports the previewed plan as a script', async () => {
    const { networks, deps } = service();
    await expect(networks.exportScript({ name: 'web', backend: 'direct' })).resolves.toEqual({ path: '/tmp/kvmnet-create-web.sh' });
    const [name, text] = vi.mocked(deps.saveScript).mock.calls[0]!;
    expect(name).toBe('kvmnet-create-web.sh');
    expect(text).toMatch(/^#!\/bin\/sh\nset -eu\n# create network web \(nat, direct\)/);
  });
});
