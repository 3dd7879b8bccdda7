import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import LeasesPanel from '../../../../renderer/src/components/guests/LeasesPanel.vue';
import type { GuestTap, GuestVmNic } from '../../../../main/ipc/guest-channels';
import type { DhcpLease } from '../../../../main/host/parse-dhcp-leases';
import { en } from '../../../../renderer/src/i18n/en';
import { removeBridge } from '../fixtures/fake-bridge';
import { mountNetworkView, settle } from '../fixtures/mount-network-view';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

const TAP: GuestTap = { name: 'kvtap-demo0', ownerUid: 1000, up: true };
const LEASE: DhcpLease = { ip: '10.78.0.50', mac: '52:54:00:12:34:56', hostname: 'web' };

async function mountPanel(props: { vmNics?: GuestVmNic[]; taps?: GuestTap[]; leases?: DhcpLease[] | null; loading?: boolean }) {
  const mounted = await mountNetworkView(LeasesPanel, {
    path: '/networks/demo',
    props: { network: 'demo', vmNics: props.vmNics ?? [], taps: props.taps ?? [], leases: props.leases === undefined ? [] : props.leases, loading: props.loading ?? false },
  });
  wrapper = mounted.wrapper;
  return mounted;
}

describe('LeasesPanel', () => {
  it('while loading, keeps the tables\' shape with shimmer and says so to screen readers', async () => {
    const { wrapper: w } = await mountPanel({ loading: true, leases: null });
    // VMs (4 columns and Remove), taps (3 and Remove), leases (4)
    expect(w.findAll('[aria-busy="true"]').map((table) => table.get('tr').findAll('td').length)).toEqual([5, 4, 4]);
    expect(w.text()).not.toContain(en.guests.leases.noDhcp);
  });

  it('says which table is empty, and that a network without DHCP has no leases at all', async () => {
    const { wrapper: empty } = await mountPanel({});
    expect(empty.find('[data-vms-empty]').exists()).toBe(true);
    expect(empty.find('[data-taps-empty]').exists()).toBe(true);
    expect(empty.find('[data-leases-empty]').exists()).toBe(true);
    empty.unmount();
    const { wrapper: noDhcp } = await mountPanel({ leases: null });
    expect(noDhcp.find('[data-leases-empty]').exists()).toBe(false);
    expect(noDhcp.find('[data-leases]').exists()).toBe(false);
    expect(noDhcp.text()).toContain(en.guests.leases.noDhcp);
  });

  it('lists the libvirt VMs\' NICs on the network, each with a Remove that takes only that NIC off through the guests store', async () => {
    const { wrapper: w, bridge } = await mountPanel({ vmNics: [{ domain: 'debian12', state: 'running', mac: '52:54:00:aa:bb:cc', model: 'virtio' }, { domain: 'win11', state: 'shut off', mac: '52:54:00:aa:bb:dd', model: null }] });
    const rows = w.findAll('table[data-vms] tbody tr');
    expect(rows.map((r) => r.findAll('td').slice(0, 4).map((td) => td.text()))).toEqual([
      ['debian12', 'running', '52:54:00:aa:bb:cc', 'virtio'],
      ['win11', 'shut off', '52:54:00:aa:bb:dd', '—'],
    ]);
    const remove = w.get('[data-vm-nic="52:54:00:aa:bb:dd"] [data-action="detach-vm"]');
    expect(remove.attributes('aria-label')).toBe('Remove the network card 52:54:00:aa:bb:dd from win11');
    await remove.trigger('click');
    await settle();
    expect(vi.mocked(bridge.handlers['guests:detach-vm']).mock.calls.map(([request]) => request)).toEqual([expect.objectContaining({ name: 'demo', domain: 'win11', mac: '52:54:00:aa:bb:dd' })]);
  });

  it('lists taps with a Remove named by the tap, and leases under their own headers', async () => {
    const { wrapper: w } = await mountPanel({ taps: [TAP], leases: [LEASE] });
    const taps = w.get('table[data-taps]');
    expect(taps.findAll('thead th').map((th) => th.text())).toHaveLength(4);
    expect(taps.get('thead th:last-child .visually-hidden').text()).not.toBe('');
    expect(taps.get('[data-tap-row="kvtap-demo0"] [data-action="detach"]').attributes('aria-label')).toContain('kvtap-demo0');
    const leases = w.get('table[data-leases]');
    expect(leases.findAll('thead th')).toHaveLength(4);
    expect(leases.get('[data-lease="10.78.0.50"]').findAll('td').map((td) => td.text()).slice(0, 3)).toEqual(['10.78.0.50', '52:54:00:12:34:56', 'web']);
  });
});
