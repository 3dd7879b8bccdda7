import { describe, expect, it, vi } from 'vitest';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import { toHostNetworkState } from '../../../main/engine/host-network-state';
import type { Plan } from '../../../main/helper/protocol';
import type { RunResult } from '../../../main/ipc/network-channels';
import { createGuestService } from '../../../main/services/guest-service';
import { link } from '../core/network/host-fixture';
import { bareSnapshot, record, running, specs } from '../core/plan/plan-fixture';

const DESKTOP_UID = 1000;

/** the service on a laptop with the direct NAT network "lab", running or not, and a tap of another network */
function service(options: { active?: boolean; libvirt?: HostSnapshot['libvirt'] } = {}) {
  const lab = record(specs.nat);
  const base = options.active === false ? bareSnapshot() : running(bareSnapshot(), lab);
  const snapshot = {
    ...base,
    links: [...base.links, link('kvt-other-0', 'tap', [], { alias: 'kvmnet:other', owner: 'other', tapOwnerUid: DESKTOP_UID })],
    ...(options.libvirt && { libvirt: options.libvirt }),
  };
  const run = vi.fn(async (_runId: string, plan: Plan): Promise<RunResult> => ({ status: 'done', steps: plan.steps, rolledBack: [], left: [] }));
  const guests = createGuestService({
    readState: async () => toHostNetworkState(snapshot, { records: [lab], problems: [] }, [], '1'),
    guestFacts: async () => ({ leases: [], vhostNet: false }),
    run,
    userUid: () => DESKTOP_UID,
    random: () => 0.5,
  });
  return { guests, run };
}

describe('guest service', () => {
  it('makes a TAP for the desktop user on the bridge as kvmnet attach does, and answers QEMU\'s options for it', async () => {
    const { guests, run } = service();
    const attached = await guests.attach('r1', 'lab', 'virtio', '52:54:00:3a:7c:01');
    expect(attached).toMatchObject({ tap: 'kvt-lab-0', ownerUid: DESKTOP_UID, mac: '52:54:00:3a:7c:01', detachCommand: 'kvmnet detach lab --tap kvt-lab-0' });
    expect(attached.qemu.shell).toBe('-netdev tap,id=kvt-lab-0,ifname=kvt-lab-0,script=no,downscript=no -device virtio-net-pci,netdev=kvt-lab-0,mac=52:54:00:3a:7c:01');
    const plan = run.mock.calls[0]![1];
    expect(plan.steps[0]).toMatchObject({ op: 'link.add', kind: 'tap', name: 'kvt-lab-0', network: 'lab', user: DESKTOP_UID });
    expect(plan.steps.at(-1)).toMatchObject({ op: 'record.write', record: { taps: [{ name: 'kvt-lab-0', user: DESKTOP_UID, mac: '52:54:00:3a:7c:01' }] } });
  });

  it('refuses a MAC in use or malformed, naming the field, and runs nothing', async () => {
    const { guests, run } = service();
    await expect(guests.attach('r1', 'lab', 'virtio', '52:54:00:12:34:56')).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'mac', message: expect.stringMatching(/^MAC 52:54:00:12:34:56 is QEMU's default MAC/) });
    await expect(guests.outputs('lab', 'virtio', 'not-a-mac')).rejects.toMatchObject({ field: 'mac', message: expect.stringMatching(/^MAC "not-a-mac" is not a MAC address/) });
    expect(run).not.toHaveBeenCalled();
  });

  it('asks to start a stopped network before making a TAP on its bridge', async () => {
    const { guests, run } = service({ active: false });
    await expect(guests.attach('r1', 'lab', 'virtio', undefined)).rejects.toMatchObject({ field: 'name', message: expect.stringContaining('is not running') });
    expect(run).not.toHaveBeenCalled();
  });

  it('removes only its own taps of this network', async () => {
    const { guests, run } = service();
    await expect(guests.detach('r1', 'lab', 'kvt-other-0')).rejects.toMatchObject({ field: 'tap', message: 'kvt-other-0 is not a tap KVMNet made on network lab; it removes only its own taps' });
    await expect(guests.detach('r1', 'lab', 'eth0')).rejects.toMatchObject({ field: 'tap' });
    expect(run).not.toHaveBeenCalled();
  });

  it('gives the same outputs as the CLI prints: virt-install on the bridge, qemu-ifup/ifdown with it baked in', async () => {
    const { guests } = service();
    const outputs = await guests.outputs('lab', 'e1000e', '52:54:00:3a:7c:01');
    expect(outputs.virtInstall).toBe('--network bridge=kv-lab,model=e1000e,mac=52:54:00:3a:7c:01');
    expect(outputs.qemuIfup?.script).toContain("bridge='kv-lab'");
    expect(outputs.qemuIfdown?.name).toBe('qemu-ifdown-lab');
    expect(outputs.nextTap).toBe('kvt-lab-0');
  });

  it('names a form\'s fields as the form does in the CLI\'s checks of a forward, and runs nothing on a problem', async () => {
    const { guests, run } = service();
    const change = await guests.addForward('r1', 'lab', { proto: 'tcp', hostPort: '70000', to: '10.80.0.50:80' });
    expect(change.result).toBeNull();
    expect(change.issues).toEqual([expect.objectContaining({ field: 'hostPort', message: expect.stringMatching(/^Host port: port 70000 is above 65535/) })]);
    expect(run).not.toHaveBeenCalled();
  });

  describe('libvirt VMs', () => {
    const bridge = record(specs.nat).spec.bridge;
    const libvirt = (available = true): HostSnapshot['libvirt'] => ({
      available, ...(!available && { reason: 'libvirtd is not running' }), networks: [],
      domains: [
        { name: 'debian12', state: 'running', interfaces: [{ type: 'bridge', source: bridge, mac: '52:54:00:aa:00:01', model: 'virtio' }, { type: 'network', source: 'default', mac: '52:54:00:aa:00:02' }] },
        { name: 'win11', state: 'shut off', interfaces: [] },
      ],
    });

    it('lists the NICs of libvirt VMs on the network\'s bridge, and offers every VM to add one to', async () => {
      const { guests } = service({ libvirt: libvirt() });
      expect((await guests.details('lab')).vmNics).toEqual([{ domain: 'debian12', state: 'running', mac: '52:54:00:aa:00:01', model: 'virtio' }]);
      expect((await guests.outputs('lab', 'virtio', undefined)).domains).toEqual({ names: [{ name: 'debian12', state: 'running' }, { name: 'win11', state: 'shut off' }] });
    });

    it('adds a NIC as kvmnet attach --vm does, live when the VM runs, with the command that removes it', async () => {
      const { guests, run } = service({ libvirt: libvirt() });
      const added = await guests.attachVm('r1', 'lab', 'debian12', 'e1000e', '52:54:00:3a:7c:01');
      expect(added).toMatchObject({ domain: 'debian12', mac: '52:54:00:3a:7c:01', live: true, detachCommand: 'kvmnet detach lab --vm debian12 --mac 52:54:00:3a:7c:01' });
      expect(run.mock.calls[0]![1].steps).toEqual([{ op: 'libvirt.attachInterface', domain: 'debian12', network: 'lab', source: { type: 'bridge', bridge }, mac: '52:54:00:3a:7c:01', model: 'e1000e' }]);
      expect((await guests.attachVm('r2', 'lab', 'win11', 'virtio', undefined)).live).toBe(false);
    });

    it('refuses a VM libvirt does not have, or libvirt not answering, under the domain field; a MAC already taken under mac', async () => {
      const { guests, run } = service({ libvirt: libvirt() });
      await expect(guests.attachVm('r1', 'lab', 'nosuch', 'virtio', undefined)).rejects.toMatchObject({ code: 'BAD_REQUEST', field: 'domain', message: expect.stringContaining('"nosuch" is not a libvirt domain') });
      await expect(guests.attachVm('r1', 'lab', 'win11', 'virtio', '52:54:00:aa:00:01')).rejects.toMatchObject({ field: 'mac', message: expect.stringContaining('libvirt domain "debian12"') });
      const { guests: offline } = service({ libvirt: libvirt(false) });
      await expect(offline.attachVm('r1', 'lab', 'debian12', 'virtio', undefined)).rejects.toMatchObject({ field: 'domain', message: expect.stringContaining('libvirtd is not running') });
      expect(run).not.toHaveBeenCalled();
    });

    it('removes only a NIC of that VM on this network', async () => {
      const { guests, run } = service({ libvirt: libvirt() });
      await expect(guests.detachVm('r1', 'lab', 'debian12', '52:54:00:aa:00:02')).rejects.toMatchObject({ field: 'mac', message: expect.stringContaining('is not a NIC of domain debian12 on network lab') });
      expect(run).not.toHaveBeenCalled();
      await guests.detachVm('r1', 'lab', 'debian12', '52:54:00:AA:00:01');
      expect(run.mock.calls[0]![1].steps).toEqual([{ op: 'libvirt.detachInterface', domain: 'debian12', network: 'lab', source: { type: 'bridge', bridge }, mac: '52:54:00:aa:00:01' }]);
    });
  });
});
