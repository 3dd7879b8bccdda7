import { describe, expect, it } from 'vitest';
import { planAttachDomainNic, planAttachTap, planDetachDomainNic } from '../../../../main/core/plan/attach-plans';
import type { KvmnetNetwork } from '../../../../main/core/plan/plan-context';
import { renderPlanAsShell } from '../../../../main/core/render/plan-as-shell';
import { record, specs } from '../plan/plan-fixture';

const libvirt: KvmnetNetwork = { backend: 'libvirt', network: { name: 'lab', active: true, autostart: true, persistent: true, bridge: 'kv-lab', forwardMode: 'nat', managedByKvmnet: true } };
const direct: KvmnetNetwork = { backend: 'direct', record: record(specs.nat), active: true };

describe('renderPlanAsShell for the attach plans', () => {
  it('shows a tap for the user on a libvirt network\'s bridge as ip and virsh commands', () => {
    const shell = renderPlanAsShell(planAttachTap(libvirt, { name: 'kvt-lab-0', user: 1000, mac: '52:54:00:00:00:31' }));
    expect(shell).toContain('ip tuntap add dev kvt-lab-0 mode tap user 1000');
    expect(shell).toContain(`ip link set dev kvt-lab-0 master "$(virsh -c qemu:///system net-info lab | awk '/^Bridge:/ {print $2}')"`);
    expect(shell).toContain('ip link set dev kvt-lab-0 up');
  });

  it('shows domain NICs as virsh attach-interface and detach-interface on the configuration', () => {
    expect(renderPlanAsShell(planAttachDomainNic(direct, 'web', '52:54:00:00:00:32', 'e1000e')))
      .toContain('virsh -c qemu:///system attach-interface --domain web --type bridge --source kv-lab --mac 52:54:00:00:00:32 --model e1000e --config');
    expect(renderPlanAsShell(planDetachDomainNic(libvirt, 'web', '52:54:00:00:00:32')))
      .toContain('virsh -c qemu:///system detach-interface --domain web --type network --mac 52:54:00:00:00:32 --config');
  });
});
