import { afterEach, describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import LeasesPanel from '../../../../renderer/src/components/guests/LeasesPanel.vue';
import type { GuestTap } from '../../../../main/ipc/guest-channels';
import type { DhcpLease } from '../../../../main/host/parse-dhcp-leases';
import { en } from '../../../../renderer/src/i18n/en';
import { removeBridge } from '../fixtures/fake-bridge';
import { mountNetworkView } from '../fixtures/mount-network-view';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

const TAP: GuestTap = { name: 'kvtap-demo0', ownerUid: 1000, up: true };
const LEASE: DhcpLease = { ip: '10.78.0.50', mac: '52:54:00:12:34:56', hostname: 'web' };

async function mountPanel(props: { taps?: GuestTap[]; leases?: DhcpLease[] | null; loading?: boolean }) {
  ({ wrapper } = await mountNetworkView(LeasesPanel, {
    path: '/networks/demo',
    props: { network: 'demo', taps: props.taps ?? [], leases: props.leases === undefined ? [] : props.leases, loading: props.loading ?? false },
  }));
  return wrapper;
}

describe('LeasesPanel', () => {
  it('while loading, keeps the tables\' shape with shimmer and says so to screen readers', async () => {
    const w = await mountPanel({ loading: true, leases: null });
    expect(w.findAll('[aria-busy="true"]')).toHaveLength(2);
    expect(w.find('[aria-busy="true"] tr').findAll('td')).toHaveLength(4);
    expect(w.text()).not.toContain(en.guests.leases.noDhcp);
  });

  it('says which table is empty, and that a network without DHCP has no leases at all', async () => {
    const empty = await mountPanel({});
    expect(empty.find('[data-taps-empty]').exists()).toBe(true);
    expect(empty.find('[data-leases-empty]').exists()).toBe(true);
    empty.unmount();
    const noDhcp = await mountPanel({ leases: null });
    expect(noDhcp.find('[data-leases-empty]').exists()).toBe(false);
    expect(noDhcp.find('[data-leases]').exists()).toBe(false);
    expect(noDhcp.text()).toContain(en.guests.leases.noDhcp);
  });

  it('lists taps with a Remove named by the tap, and leases under their own headers', async () => {
    const w = await mountPanel({ taps: [TAP], leases: [LEASE] });
    const taps = w.get('table[data-taps]');
    expect(taps.findAll('thead th').map((th) => th.text())).toHaveLength(4);
    expect(taps.get('thead th:last-child .visually-hidden').text()).not.toBe('');
    expect(taps.get('[data-tap-row="kvtap-demo0"] [data-action="detach"]').attributes('aria-label')).toContain('kvtap-demo0');
    const leases = w.get('table[data-leases]');
    expect(leases.findAll('thead th')).toHaveLength(4);
    expect(leases.get('[data-lease="10.78.0.50"]').findAll('td').map((td) => td.text()).slice(0, 3)).toEqual(['10.78.0.50', '52:54:00:12:34:56', 'web']);
  });
});
