import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import AttachDialog from '../../../../renderer/src/components/networks/AttachDialog.vue';
import { removeBridge } from '../fixtures/fake-bridge';
import { DESKTOP_UID, guestHandlers } from '../fixtures/guest-handlers';
import { hostSnapshot } from '../fixtures/host-snapshot';
import { mountNetworkView, settle } from '../fixtures/mount-network-view';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

/** typing a MAC is checked once the user pauses (300 ms) */
const pause = () => new Promise((resolve) => setTimeout(resolve, 350)).then(settle);

async function openDialog(props: { running?: boolean; overrides?: Parameters<typeof mountNetworkView>[1]['overrides'] } = {}) {
  const mounted = await mountNetworkView(AttachDialog, { path: '/networks/demo', props: { open: true, network: 'demo', running: props.running ?? true }, overrides: props.overrides });
  wrapper = mounted.wrapper;
  return mounted;
}

describe('AttachDialog', () => {
  it('opens as a labelled modal with the model choice focused, and offers every output with its own copy button', async () => {
    const { wrapper } = await openDialog();
    const dialog = wrapper.get('dialog');
    expect(dialog.attributes('aria-labelledby')).toBeTruthy();
    expect(document.getElementById(dialog.attributes('aria-labelledby')!)?.textContent).toBe('Attach a virtual machine to “demo”');
    expect(document.activeElement?.getAttribute('data-field-input')).toBe('model');
    expect(wrapper.findAll('[role="tab"]').map((t) => t.text())).toEqual(['QEMU', 'libvirt VM', 'virt-install', 'libvirt XML', 'qemu-ifup', 'qemu-ifdown']);
    for (const tab of ['virtInstall', 'libvirtXml', 'qemuIfup', 'qemuIfdown']) {
      await wrapper.get(`[data-tab="${tab}"]`).trigger('click');
      expect(wrapper.get(`[data-output="${tab}"] pre`).text().length).toBeGreaterThan(10);
      expect(wrapper.get(`[data-output="${tab}"] [data-action="copy"]`).text()).toBe('Copy');
    }
    expect(wrapper.get('[data-output="qemuIfdown"] pre').text()).toContain("bridge='kvbr1'");
  });

  it('renders virt-install for the chosen model and the MAC the user typed', async () => {
    const { wrapper, bridge } = await openDialog();
    await wrapper.get('select').setValue('e1000e');
    await wrapper.get('[data-field="mac"] input').setValue('52:54:00:3a:7c:01');
    await pause();
    await wrapper.get('[data-tab="virtInstall"]').trigger('click');
    expect(wrapper.get('[data-output="virtInstall"] pre').text()).toBe('--network network=demo,model=e1000e,mac=52:54:00:3a:7c:01');
    expect(bridge.handlers['guests:outputs']).toHaveBeenLastCalledWith({ name: 'demo', model: 'e1000e', mac: '52:54:00:3a:7c:01' });
  });

  it('refuses a MAC another interface of this computer has, under the field, and will not create a TAP with it', async () => {
    const { wrapper, bridge } = await openDialog();
    await wrapper.get('[data-field="mac"] input').setValue('52:54:00:AB:CD:EF');
    await pause();
    const error = wrapper.get('[data-field="mac"] [data-field-error]');
    expect(error.text()).toBe('52:54:00:ab:cd:ef is already used by the host interface "wlan0". Two network cards with one MAC address cannot both talk; give another, or leave it empty.');
    expect(wrapper.get('[data-field="mac"] input').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-fix-mac]').text()).toBe('Correct the MAC address above, or leave it empty, to see the lines.');
    expect(wrapper.find('[data-action="create-tap"]').exists()).toBe(false);
    await wrapper.get('[data-field="mac"] input').setValue('01:00:5e:00:00:01');
    await pause();
    expect(wrapper.get('[data-field="mac"] [data-field-error]').text()).toContain('is a multicast address');
    expect(bridge.handlers['guests:attach']).not.toHaveBeenCalled();
  });

  it('creates the TAP, shows QEMU\'s arguments for it, who owns it and how to remove it', async () => {
    const { wrapper, bridge } = await openDialog();
    expect(wrapper.get('[data-output="qemu"]').text()).toContain('KVMNet creates kvt-demo-0 on the bridge');
    await wrapper.get('select').setValue('e1000');
    await pause();
    const shown = /^MAC (\S+)$/.exec(wrapper.get('[data-mac-used]').text())![1];
    await wrapper.get('[data-action="create-tap"]').trigger('click');
    await settle();
    // the TAP is for the MAC the virt-install and libvirt lines already show
    expect(bridge.handlers['guests:attach']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo', model: 'e1000', mac: shown }));
    expect(wrapper.get('[data-created-tap]').attributes('data-tap')).toBe('kvt-demo-0');
    expect(wrapper.get('[data-created-tap]').text()).toContain(`owned by uid ${DESKTOP_UID}`);
    const blocks = wrapper.findAll('[data-output="qemu"] figure');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.get('pre').text()).toMatch(/^-netdev tap,id=kvt-demo-0,ifname=kvt-demo-0,script=no,downscript=no \\\n-device e1000,netdev=kvt-demo-0,mac=52:54:00:/);
    expect(blocks[1]!.get('pre').text()).toBe('kvmnet detach demo --tap kvt-demo-0');
    expect(blocks.every((b) => b.find('[data-action="copy"]').exists())).toBe(true);
    expect(wrapper.get('select').attributes('disabled')).toBeDefined();

    await wrapper.get('[data-action="remove-tap"]').trigger('click');
    await settle();
    expect(bridge.handlers['guests:detach']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo', tap: 'kvt-demo-0' }));
    expect(wrapper.get('[data-created-tap]').text()).toBe('Removed the TAP device kvt-demo-0.');
  });

  it('adds a NIC with the shown MAC to the libvirt VM chosen, says whether the running guest got it, and removes it again', async () => {
    const snapshot = hostSnapshot();
    snapshot.libvirt.domains = [{ name: 'debian12', state: 'running', interfaces: [] }, { name: 'win11', state: 'shut off', interfaces: [] }];
    const { wrapper, bridge } = await openDialog({ overrides: guestHandlers(snapshot) });
    await wrapper.get('[data-tab="vm"]').trigger('click');
    const options = wrapper.findAll('[data-field-input="domain"] option');
    expect(options.map((o) => o.text())).toEqual(['debian12 (running)', 'win11 (shut off)']);
    expect((wrapper.get('[data-field-input="domain"]').element as HTMLSelectElement).value).toBe('debian12');
    const shown = /^MAC (\S+)$/.exec(wrapper.get('[data-mac-used]').text())![1];
    await wrapper.get('[data-field-input="domain"]').setValue('win11');
    await wrapper.get('[data-action="attach-vm"]').trigger('click');
    await settle();
    expect(vi.mocked(bridge.handlers['guests:attach-vm']).mock.calls.map(([r]) => r)).toEqual([expect.objectContaining({ name: 'demo', domain: 'win11', model: 'virtio', mac: shown })]);
    expect(wrapper.get('[data-added-vm]').text()).toBe(`Added a virtio network card with MAC ${shown} to win11. It joins the network when the VM next starts.`);
    expect(wrapper.get('[data-output="vm"] pre').text()).toBe(`kvmnet detach demo --vm win11 --mac ${shown}`);
    expect(wrapper.get('[data-field-input="model"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-action="remove-vm-nic"]').trigger('click');
    await settle();
    expect(vi.mocked(bridge.handlers['guests:detach-vm']).mock.calls.map(([r]) => r)).toEqual([expect.objectContaining({ name: 'demo', domain: 'win11', mac: shown })]);
    expect(wrapper.get('[data-added-vm]').text()).toBe(`Removed the network card ${shown} from win11.`);
  });

  it('says why there is no VM to choose when libvirt has none', async () => {
    const { wrapper } = await openDialog();
    await wrapper.get('[data-tab="vm"]').trigger('click');
    expect(wrapper.get('[data-no-vms]').text()).toContain('libvirt has no virtual machines on this computer yet');
    expect(wrapper.find('[data-action="attach-vm"]').exists()).toBe(false);
  });

  it('asks to start the network first when it is not running', async () => {
    const { wrapper } = await openDialog({ running: false });
    expect(wrapper.get('[data-output="qemu"]').text()).toContain('Start the network first');
    expect(wrapper.get('[data-action="create-tap"]').attributes('disabled')).toBeDefined();
  });

  it('closes on Escape and on Done', async () => {
    const { wrapper } = await openDialog();
    wrapper.get('dialog').element.dispatchEvent(new Event('cancel', { cancelable: true }));
    await wrapper.get('[data-action="done"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(2);
  });

  it('shows a skeleton of the output while main prepares it, in the space the output takes', async () => {
    const { wrapper } = await mountNetworkView(AttachDialog, {
      path: '/networks/demo', props: { open: true, network: 'demo', running: true },
      overrides: { 'guests:outputs': vi.fn(() => new Promise<never>(() => undefined)) },
    });
    expect(wrapper.find('[role="tabpanel"] [aria-busy="true"] .skeleton').exists()).toBe(true);
    expect(wrapper.get('[role="status"]').text()).toBe('Preparing the snippets');
    wrapper.unmount();
  });
});
