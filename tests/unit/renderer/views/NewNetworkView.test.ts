import { afterEach, describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import NewNetworkView from '../../../../renderer/src/views/NewNetworkView.vue';
import { useHostStore } from '../../../../renderer/src/stores/host';
import { useNetworkWizardStore } from '../../../../renderer/src/stores/network-wizard';
import { removeBridge } from '../fixtures/fake-bridge';
import { mountNetworkView, settle } from '../fixtures/mount-network-view';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
  localStorage.clear();
});

async function openWizard(language?: 'en' | 'vi' | 'zh-CN') {
  const mounted = await mountNetworkView(NewNetworkView, { path: '/networks/new', language });
  wrapper = mounted.wrapper;
  return { ...mounted, wizard: useNetworkWizardStore(mounted.pinia) };
}

const step = (w: VueWrapper) => w.get('form').attributes('data-step');
const next = async (w: VueWrapper) => {
  await w.get('form').trigger('submit');
  await settle();
};

describe('NewNetworkView: modes', () => {
  it('offers five modes as a radio group, each with its one-line summary and reach diagram; NAT first and chosen', async () => {
    const { wrapper } = await openWizard();
    const radios = wrapper.findAll('[role="radiogroup"] input[type="radio"]');
    expect(radios.map((r) => r.attributes('value'))).toEqual(['nat', 'hostonly', 'isolated', 'routed', 'bridged']);
    expect((radios[0]!.element as HTMLInputElement).checked).toBe(true);
    for (const mode of ['nat', 'hostonly', 'isolated', 'routed', 'bridged']) {
      const card = wrapper.get(`[data-mode="${mode}"]`);
      const summary = card.get(`#mode-summary-${mode}`).text();
      expect(summary.length).toBeGreaterThan(20);
      expect(card.get('input').attributes('aria-describedby')).toBe(`mode-summary-${mode}`);
      expect(card.get('svg[role="img"]').attributes('aria-label')).toContain(summary);
    }
    // who reaches whom: NAT goes out one way, host-only is cut from the outside, isolated from the host too
    expect(wrapper.findAll('[data-diagram="nat"] .edge').map((e) => e.classes().find((c) => c.startsWith('edge-')))).toEqual(['edge-both', 'edge-out']);
    expect(wrapper.findAll('[data-diagram="hostonly"] .edge').map((e) => e.classes().find((c) => c.startsWith('edge-')))).toEqual(['edge-both', 'edge-none']);
    expect(wrapper.findAll('[data-diagram="isolated"] .edge').map((e) => e.classes().find((c) => c.startsWith('edge-')))).toEqual(['edge-none', 'edge-none']);
  });

  it('marks where the user is in the steps, and has no Back on the first', async () => {
    const { wrapper } = await openWizard();
    expect(wrapper.get('[aria-current="step"]').attributes('data-wizard-step')).toBe('mode');
    expect(wrapper.find('[data-action="back"]').exists()).toBe(false);
    await next(wrapper);
    expect(wrapper.get('[aria-current="step"]').attributes('data-wizard-step')).toBe('settings');
  });
});

describe('NewNetworkView: validation as the user types', () => {
  it('focuses the name, shows the host\'s defaults as placeholders, and says when it is ready', async () => {
    const { wrapper } = await openWizard();
    await next(wrapper);
    const name = wrapper.get('[data-field="name"] input');
    expect(document.activeElement).toBe(name.element);
    await name.setValue('lab');
    await settle();
    // the fixture host has 192.168.1.0/24 (eth0), 10.77.0.0/24 (kvbr0), 192.168.122.0/24 (virbr0) and 10.78.0.0/24 (demo)
    const subnet = wrapper.get('[data-field="subnet"] input').attributes('placeholder');
    expect(subnet).toMatch(/^10\.\d+\.\d+\.0\/24$/);
    expect(['10.77.0.0/24', '10.78.0.0/24']).not.toContain(subnet);
    expect(wrapper.get('[data-field="subnet"]').text()).toContain(`Leave empty to use ${subnet}`);
    expect(wrapper.get('[data-field="dhcpStart"] input').attributes('placeholder')).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(wrapper.get('[data-check-status]').text()).toBe('Ready to review');
  });

  it('shows no problem on an untouched form, then the validator\'s own words under the field at fault', async () => {
    const { wrapper } = await openWizard();
    await next(wrapper);
    expect(wrapper.findAll('[data-field-error]')).toHaveLength(0);
    await wrapper.get('[data-field="name"] input').setValue('lab');
    await wrapper.get('[data-field="subnet"] input').setValue('10.77.0.0/24');
    await settle();
    const error = wrapper.get('[data-field="subnet"] [data-field-error]');
    expect(error.text()).toMatch(/^10\.77\.0\.0\/24 overlaps .*kvbr0.*; pick another, e\.g\. 10\./);
    const input = wrapper.get('[data-field="subnet"] input');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toContain(error.attributes('id'));
  });

  it('stays on the settings and focuses the first field at fault when Next is pressed with problems', async () => {
    const { wrapper, wizard } = await openWizard();
    await next(wrapper);
    await next(wrapper);
    expect(step(wrapper)).toBe('settings');
    expect(wrapper.get('[data-field="name"] [data-field-error]').text()).toBe('Give the network a name, such as lab.');
    expect(document.activeElement).toBe(wrapper.get('[data-field="name"] input').element);
    await wrapper.get('[data-field="name"] input').setValue('lab');
    await wrapper.get('[data-field="mtu"] input').setValue('12');
    await next(wrapper);
    expect(step(wrapper)).toBe('settings');
    // the problem is in the Advanced section, which opens to show it
    expect(wizard.advancedOpen).toBe(true);
    expect(wrapper.get('[data-field="mtu"] [data-field-error]').text()).toContain('12 is below 68');
  });

  it('names a clash with an existing network and offers a free name', async () => {
    const { wrapper } = await openWizard();
    await next(wrapper);
    await wrapper.get('[data-field="name"] input').setValue('demo');
    await settle();
    expect(wrapper.get('[data-field="name"] [data-field-error]').text()).toBe('“demo” is already the name of a network here; choose another, such as “demo-2”.');
  });

  it('asks a routed network for its uplink and lists only the links traffic can leave by', async () => {
    const { wrapper, wizard } = await openWizard();
    wizard.setMode('routed');
    await next(wrapper);
    await wrapper.get('[data-field="name"] input').setValue('lan2');
    await next(wrapper);
    expect(step(wrapper)).toBe('settings');
    expect(wrapper.get('[data-field="uplink"] [data-field-error]').text()).toMatch(/^A routed network needs an uplink/);
    expect(wrapper.findAll('[data-field="uplink"] option').map((o) => o.attributes('value'))).toEqual(['', 'eth0', 'wlan0', 'veth0', 'veth1']);
    await wrapper.get('[data-field="uplink"] select').setValue('eth0');
    await next(wrapper);
    expect(step(wrapper)).toBe('review');
  });

  it('has no address fields for an isolated network', async () => {
    const { wrapper, wizard } = await openWizard();
    wizard.setMode('isolated');
    await next(wrapper);
    expect(wrapper.find('[data-field="subnet"]').exists()).toBe(false);
    expect(wrapper.find('[data-field="uplink"]').exists()).toBe(false);
    await wrapper.get('[data-field="name"] input').setValue('iso');
    await next(wrapper);
    expect(step(wrapper)).toBe('review');
    expect(wrapper.get('[data-review-summary]').text()).toBe('KVMNet will create the isolated network “iso” on kv-iso.');
  });
});

describe('NewNetworkView: preferred backend', () => {
  it('starts from the backend chosen in Settings, and plans with it', async () => {
    localStorage.setItem('kvmnet.backend', 'direct');
    const { wrapper, wizard } = await openWizard();
    expect(wizard.form.backend).toBe('direct');
    await next(wrapper);
    await wrapper.get('[data-action="advanced"]').trigger('click');
    expect(wrapper.get('[data-field="backend"] .checked').text()).toBe('Direct');
    await wrapper.get('[data-field="name"] input').setValue('lab');
    await settle();
    expect(wizard.check?.spec?.backend).toBe('direct');
  });
});

describe('NewNetworkView: review and apply', () => {
  async function toReview(backend?: 'direct') {
    const opened = await openWizard();
    await next(opened.wrapper);
    await opened.wrapper.get('[data-field="name"] input').setValue('lab');
    if (backend) {
      await opened.wrapper.get('[data-action="advanced"]').trigger('click');
      await opened.wrapper.get('[data-field="backend"] input[value="direct"]').setValue(true);
    }
    await settle();
    await next(opened.wrapper);
    return opened;
  }

  it('shows the plan as steps in words, the commands and the libvirt XML, each a tab', async () => {
    const { wrapper } = await toReview();
    expect(step(wrapper)).toBe('review');
    expect(wrapper.get('[data-review-summary]').text()).toMatch(/^KVMNet will create the NAT network “lab” on kv-lab with the subnet 10\./);
    expect(wrapper.findAll('[data-plan-steps] li').map((li) => li.text().replace(/^\d+/, ''))).toEqual([
      'Define the libvirt network lab', 'Start lab at boot', 'Start the libvirt network lab',
    ]);
    expect(wrapper.findAll('[role="tab"]').map((t) => t.text())).toEqual(['Steps', 'Commands', 'libvirt XML']);
    await wrapper.get('[data-tab="commands"]').trigger('click');
    expect(wrapper.get('[data-review-tab="commands"] pre').text()).toContain("virsh -c qemu:///system net-define /dev/stdin <<'KVMNET_EOF'");
    await wrapper.get('[data-tab="commands"]').trigger('keydown', { key: 'ArrowRight' });
    expect(wrapper.get('[data-review-tab="xml"] pre').text()).toContain('<forward mode="nat"');
  });

  it('plans a direct network with its bridge, DHCP and firewall steps, and exports the script', async () => {
    const { wrapper, bridge } = await toReview('direct');
    const steps = wrapper.findAll('[data-plan-steps] li').map((li) => li.text());
    expect(steps.some((s) => s.includes('Create the bridge kv-lab'))).toBe(true);
    expect(steps.some((s) => s.includes('Start DHCP and DNS (dnsmasq) on kv-lab'))).toBe(true);
    expect(wrapper.findAll('[role="tab"]').map((t) => t.text())).toEqual(['Steps', 'Commands']);
    await wrapper.get('[data-tab="commands"]').trigger('click');
    await wrapper.get('[data-action="export"]').trigger('click');
    await settle();
    expect(bridge.handlers['networks:export-script']).toHaveBeenCalledWith(expect.objectContaining({ draft: expect.objectContaining({ name: 'lab', backend: 'direct' }) }));
    expect(wrapper.get('[data-exported]').text()).toBe('Saved to /home/user/kvmnet-create-lab.sh');
  });

  it('applies, follows the progress the main process pushes, and ends with a clear result', async () => {
    const { wrapper, bridge } = await toReview();
    await wrapper.get('[data-action="apply"]').trigger('click');
    await settle();
    expect(bridge.handlers['networks:create']).toHaveBeenCalledTimes(1);
    expect(step(wrapper)).toBe('apply');
    expect(wrapper.get('[data-run]').attributes('data-run-status')).toBe('done');
    expect(wrapper.findAll('[data-step-state]').map((s) => s.attributes('data-step-state'))).toEqual(['done', 'done', 'done']);
    expect(wrapper.get('[data-run-result]').text()).toContain('Done. Every step succeeded.');
    expect(wrapper.get('[data-action="open-network"]').attributes('href')).toBe('#/networks/lab');
  });

  it('names the failed step and what was rolled back when the apply fails', async () => {
    const { wrapper, bridge } = await toReview();
    bridge.handlers['networks:create'] = async ({ runId }) => {
      const steps = [
        { op: 'libvirt.define' as const, spec: { name: 'lab', kind: 'nat' as const, backend: 'libvirt' as const, bridge: 'kv-lab', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: null, autostart: true } },
        { op: 'libvirt.autostart' as const, network: 'lab', enabled: true },
        { op: 'libvirt.start' as const, network: 'lab' },
      ];
      bridge.emit('networks:progress', { runId, index: 0, total: 3, step: steps[0]!, status: 'done' });
      bridge.emit('networks:progress', { runId, index: 2, total: 3, step: steps[2]!, status: 'failed', message: 'network is already in use by interface kv-lab' });
      return { status: 'failed', steps, failedIndex: 2, reason: 'network is already in use by interface kv-lab', rolledBack: [0, 1], left: [] };
    };
    await wrapper.get('[data-action="apply"]').trigger('click');
    await settle();
    expect(wrapper.get('[data-run]').attributes('data-run-status')).toBe('failed');
    expect(wrapper.get('[data-failed-step]').text()).toBe('Step “Start the libvirt network lab” failed: network is already in use by interface kv-lab');
    expect(wrapper.get('[data-run-result]').text()).toContain('the computer is as it was');
    expect(wrapper.findAll('[data-rolled-back] li').map((li) => li.text())).toEqual(['Define the libvirt network lab', 'Start lab at boot']);
    await wrapper.get('[data-action="retry"]').trigger('click');
    expect(step(wrapper)).toBe('settings');
  });
});

describe('NewNetworkView: routed with proxy ARP', () => {
  it("offers proxy ARP in routed mode only; checked, main proposes a slice of the uplink's LAN and the wizard warns about the router's DHCP pool", async () => {
    const { wrapper, wizard } = await openWizard();
    wizard.setMode('nat');
    await next(wrapper);
    expect(wrapper.find('[data-field="proxyArp"]').exists()).toBe(false);
    wizard.setMode('routed');
    await settle();
    await wrapper.get('[data-field="name"] input').setValue('wifi');
    await wrapper.get('[data-field="uplink"] select').setValue('eth0');
    await wrapper.get('[data-input="proxyArp"]').setValue(true);
    await settle();
    // eth0 is 192.168.1.20/24: the top /28 of its LAN, with the bridge at its first address
    expect(wizard.check?.issues).toEqual([]);
    expect(wizard.check?.spec).toMatchObject({ kind: 'routed', backend: 'direct', proxyArp: true, ipv4: { subnet: '192.168.1.240/28', gateway: '192.168.1.241' } });
    expect(wrapper.get('[data-field="subnet"] input').attributes('placeholder')).toBe('192.168.1.240/28');
    expect(wrapper.get('[data-proxy-arp-warning]').text()).toContain('192.168.1.240/28 lies outside the DHCP pool');

    await wrapper.get('[data-field="subnet"] input').setValue('192.168.1.16/28');
    await next(wrapper);
    expect(step(wrapper)).toBe('settings');
    expect(wrapper.get('[data-field="subnet"] [data-field-error]').text()).toContain("holds 192.168.1.20, this host's own address on eth0");
  });
});

describe('NewNetworkView: keyboard', () => {
  it('goes back a step with Escape', async () => {
    const { wrapper } = await openWizard();
    await next(wrapper);
    await wrapper.get('.wizard').trigger('keydown', { key: 'Escape' });
    expect(step(wrapper)).toBe('mode');
  });
});

describe('NewNetworkView: bridged to LAN', () => {
  it('shows each adapter with its addressing, warns about Wi-Fi, and offers NAT or routed instead', async () => {
    const { wrapper, wizard } = await openWizard();
    wizard.setMode('bridged');
    await next(wrapper);
    const eth0 = wrapper.get('[data-uplink="eth0"]');
    expect(eth0.text()).toContain('192.168.1.20/24');
    expect(eth0.text()).toContain('Gateway 192.168.1.1');
    await wrapper.get('[data-uplink="wlan0"] input').setValue(true);
    expect(wrapper.get('[data-bridged-warning]').text()).toContain('Wi‑Fi cannot be bridged');
    await wrapper.get('[data-action="use-routed"]').trigger('click');
    expect(wizard.form.mode).toBe('routed');
    expect(wizard.form.uplink).toBe('wlan0');
    // routed onto the Wi-Fi's own LAN: proxy ARP is preselected, and the draft main checks says so
    expect(wizard.form.proxyArp).toBe(true);
    expect((wrapper.get('[data-input="proxyArp"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.get('[data-field="proxyArp"]').text()).toContain('Proxy ARP on the uplink');
    // checked by main with the CLI's own validator: this wlan0 is down, with no LAN subnet to share
    await wrapper.get('[data-field="name"] input').setValue('wifi');
    await next(wrapper);
    expect(step(wrapper)).toBe('settings');
    expect(wrapper.get('[data-field="uplink"] [data-field-error]').text()).toContain('has no IPv4 address, so there is no LAN subnet to share');
  });

  it('offers no link of KVMNet\'s own, no bridge and no bridge port as the uplink', async () => {
    const { wrapper, wizard, pinia } = await openWizard();
    const host = useHostStore(pinia);
    const snapshot = host.snapshot!;
    // veth0 becomes a KVMNet link (alias kvmnet:lan), veth1 a port of virbr0
    host.snapshot = {
      ...snapshot,
      links: snapshot.links.map((l) => (l.name === 'veth0' ? { ...l, alias: 'kvmnet:lan', owner: 'lan' } : l.name === 'veth1' ? { ...l, master: 'virbr0' } : l)),
    };
    wizard.setMode('bridged');
    await next(wrapper);
    expect(wrapper.findAll('[data-uplink]').map((c) => c.attributes('data-uplink'))).toEqual(['eth0', 'wlan0']);
  });

  it('says what will happen, who keeps the bridge, and lets Apply run it', async () => {
    const { wrapper, wizard } = await openWizard();
    wizard.setMode('bridged');
    await next(wrapper);
    await wrapper.get('[data-uplink="eth0"] input').setValue(true);
    await next(wrapper);
    expect(step(wrapper)).toBe('review');
    expect(wrapper.text()).toContain('moves the addresses of eth0 onto it');
    expect(wrapper.get('[data-bridged-persistence]').attributes('data-persistence')).toBe('runtime');
    expect(wrapper.get('[data-action="apply"]').attributes('disabled')).toBeUndefined();
  });
});

describe('NewNetworkView: languages', () => {
  it('says a known problem in the UI\'s language, with the values the validator found', async () => {
    const { wrapper } = await openWizard('vi');
    await next(wrapper);
    await wrapper.get('[data-field="name"] input').setValue('lab');
    await wrapper.get('[data-field="subnet"] input').setValue('10.77.0.0/24');
    await settle();
    expect(wrapper.get('[data-field="subnet"] [data-field-error]').text()).toMatch(/^10\.77\.0\.0\/24 trùng với .*; hãy chọn mạng khác, ví dụ 10\./);
  });

  it.each([['vi', 'Tiếp', 'Thiết lập'], ['zh-CN', '下一步', '设置']] as const)('speaks %s', async (language, nextLabel, settingsStep) => {
    const { wrapper } = await openWizard(language);
    expect(wrapper.get('[data-action="next"]').text()).toBe(nextLabel);
    expect(wrapper.get('[data-wizard-step="settings"]').text()).toContain(settingsStep);
  });
});
