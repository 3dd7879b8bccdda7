import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import NewNetworkView from '../../../../renderer/src/views/NewNetworkView.vue';
import type { BridgedCreateResult, BridgedPending, BridgedResolveResult } from '../../../../main/ipc/bridged-channels';
import type { Handlers } from '../../../../main/ipc/dispatch';
import { useBridgedStore } from '../../../../renderer/src/stores/bridged';
import { useNetworkWizardStore } from '../../../../renderer/src/stores/network-wizard';
import { removeBridge } from '../fixtures/fake-bridge';
import { mountNetworkView, settle } from '../fixtures/mount-network-view';
import { RUNTIME_STEPS } from '../fixtures/bridged-handlers';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
  localStorage.clear();
});

const pending = (name = 'office'): BridgedPending => ({
  network: name, armId: 'arm-1', uplink: 'eth0', bridge: `br-${name}`, persistence: 'runtime', action: 'create',
  createdAt: new Date(Date.now() - 1000).toISOString(), deadline: new Date(Date.now() + 59_000).toISOString(),
});
const doneRun = (name = 'office') => ({ status: 'done' as const, steps: RUNTIME_STEPS.map((s) => ({ ...s, network: name, bridge: `br-${name}` })), rolledBack: [], left: [] });

/** the wizard at the bridged review with eth0 chosen and the name typed */
async function atReview(overrides: Partial<Handlers>) {
  const mounted = await mountNetworkView(NewNetworkView, { path: '/networks/new', overrides });
  wrapper = mounted.wrapper;
  const wizard = useNetworkWizardStore(mounted.pinia);
  wizard.setMode('bridged');
  await mounted.wrapper.get('form').trigger('submit');
  await settle();
  await mounted.wrapper.get('[data-field="name"] input').setValue('office');
  await mounted.wrapper.get('[data-uplink="eth0"] input').setValue(true);
  await mounted.wrapper.get('form').trigger('submit');
  await settle();
  return { ...mounted, wizard, bridged: useBridgedStore(mounted.pinia) };
}

const apply = async (w: VueWrapper) => {
  expect(w.get('[data-action="apply"]').attributes('disabled')).toBeUndefined();
  await w.get('form').trigger('submit');
  await settle();
};

describe('NewNetworkView: a bridge to the LAN', () => {
  it('reviews the plan main made with the CLI\'s prepare: steps, commands, and that it lasts until the next reboot', async () => {
    const { wrapper, bridge } = await atReview({});
    expect(bridge.handlers['bridged:plan']).toHaveBeenCalledWith({ request: { name: 'office', uplink: 'eth0', confirmTimeoutSeconds: 60 } });
    expect(wrapper.get('[data-review-summary]').text()).toBe('KVMNet will bridge eth0 to the LAN as br-office (network “office”).');
    expect(wrapper.get('[data-bridged-persistence]').text()).toContain('Until the next reboot only');
    expect(wrapper.get('[data-plan-steps]').text()).toContain('Move the addresses and routes of eth0 onto the bridge br-office');
    expect(wrapper.text()).toContain('you have 60 s to keep the change');
  });

  it('says systemd-networkd keeps a bridge over a NIC it manages, and shows the networkd steps', async () => {
    const { wrapper } = await atReview({
      'bridged:plan': vi.fn(async () => ({
        status: 'ready' as const, name: 'office', uplink: 'eth0', bridge: 'br-office', persistence: 'systemd-networkd' as const,
        steps: [{ op: 'networkd.bridge' as const, network: 'office', uplink: 'eth0', bridge: 'br-office' }],
        shell: '# write /etc/systemd/network/10-kvmnet-br-office.netdev\nnetworkctl reload\n', warnings: [], confirmTimeoutSeconds: 60,
      })),
    });
    const persistence = wrapper.get('[data-bridged-persistence]');
    expect(persistence.attributes('data-persistence')).toBe('systemd-networkd');
    expect(persistence.text()).toContain('Kept by systemd-networkd');
    expect(persistence.text()).toContain('Your own .network file stays untouched');
    expect(wrapper.get('[data-plan-steps]').text()).toContain('Write systemd-networkd files that make br-office a bridge with eth0 as its port');
    expect(wrapper.get('[data-action="apply"]').attributes('disabled')).toBeUndefined();
  });

  it('names why an uplink is refused, and keeps Apply off', async () => {
    const { wrapper } = await atReview({
      'bridged:plan': vi.fn(async () => ({ status: 'refused' as const, code: 'BAD_REQUEST', field: 'bridge', message: 'bridge: eth0-port would share its networkd file with eth0\'s port; pick another name with --bridge' })),
    });
    expect(wrapper.get('[data-bridged-refused]').text()).toContain('eth0 cannot be bridged, and nothing was changed');
    expect(wrapper.get('[data-bridged-refused]').text()).toContain('would share its networkd file');
    expect(wrapper.get('[data-action="apply"]').attributes('disabled')).toBeDefined();
  });

  it('applies, opens the countdown with the focus on Keep, and Keep confirms it: the result says it stays', async () => {
    const create = vi.fn(async ({ runId }: { runId: string }): Promise<BridgedCreateResult> => {
      expect(runId).toMatch(/^bridged-/);
      return { status: 'pending', network: 'office', run: doneRun(), pending: pending(), checks: ['br-office has 192.168.1.20/24'], warnings: [] };
    });
    const confirm = vi.fn(async (): Promise<BridgedResolveResult> => ({ status: 'ended', ended: { network: 'office', armId: 'arm-1', outcome: 'confirmed', cause: 'kept' } }));
    const { wrapper } = await atReview({ 'bridged:create': create, 'bridged:confirm': confirm });
    await apply(wrapper);
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ request: { name: 'office', uplink: 'eth0', confirmTimeoutSeconds: 60 } }));
    const dialog = wrapper.get('[data-bridged-countdown]');
    expect(dialog.attributes('role')).toBe('alertdialog');
    expect(Number(dialog.get('[data-seconds-left]').text())).toBeGreaterThan(55);
    expect(document.activeElement).toBe(dialog.get('[data-action="keep"]').element);

    await dialog.get('[data-action="keep"]').trigger('click');
    await settle();
    expect(confirm).toHaveBeenCalledWith({ name: 'office' });
    expect(wrapper.find('[data-bridged-countdown]').exists()).toBe(false);
    const outcome = wrapper.get('[data-bridged-outcome]');
    expect(outcome.attributes('data-outcome')).toBe('confirmed');
    expect(outcome.text()).toContain('eth0 is bridged to the LAN as br-office.');
    expect(outcome.text()).toContain('It lasts until the next reboot.');
    expect(wrapper.get('.step-heading').text()).toBe('“office” is ready');
  });

  it('Undo now rolls it back, and says so and why', async () => {
    const rollback = vi.fn(async (): Promise<BridgedResolveResult> => ({ status: 'ended', ended: { network: 'office', armId: 'arm-1', outcome: 'rolled-back', cause: 'undone' } }));
    const { wrapper } = await atReview({
      'bridged:create': vi.fn(async (): Promise<BridgedCreateResult> => ({ status: 'pending', network: 'office', run: doneRun(), pending: pending(), checks: [], warnings: [] })),
      'bridged:rollback': rollback,
    });
    await apply(wrapper);
    await wrapper.get('[data-action="undo-now"]').trigger('click');
    await settle();
    expect(rollback).toHaveBeenCalledWith({ name: 'office' });
    const outcome = wrapper.get('[data-bridged-outcome]');
    expect(outcome.attributes('data-outcome')).toBe('rolled-back');
    expect(outcome.text()).toContain('Rolled back: eth0 is as it was before.');
    expect(outcome.text()).toContain('You chose Undo now.');
    expect(wrapper.get('.step-heading').text()).toBe('“office” was rolled back');
  });

  it('closes the countdown when main pushes that the deadline passed, and says it was not confirmed in time', async () => {
    const { wrapper, bridge } = await atReview({
      'bridged:create': vi.fn(async (): Promise<BridgedCreateResult> => ({ status: 'pending', network: 'office', run: doneRun(), pending: pending(), checks: [], warnings: [] })),
    });
    await apply(wrapper);
    expect(wrapper.find('[data-bridged-countdown]').exists()).toBe(true);
    // a push about another change is not this one's end
    bridge.emit('bridged:ended', { network: 'office', armId: 'arm-0', outcome: 'rolled-back', cause: 'timeout' });
    await settle();
    expect(wrapper.find('[data-bridged-countdown]').exists()).toBe(true);
    bridge.emit('bridged:ended', { network: 'office', armId: 'arm-1', outcome: 'rolled-back', cause: 'timeout' });
    await settle();
    expect(wrapper.find('[data-bridged-countdown]').exists()).toBe(false);
    expect(wrapper.get('[data-bridged-outcome]').text()).toContain('It was not confirmed before the countdown ran out.');
  });

  it('a failed check: no countdown, the failure named and the rollback said', async () => {
    const { wrapper } = await atReview({
      'bridged:create': vi.fn(async (): Promise<BridgedCreateResult> => ({
        status: 'verify-failed', network: 'office', run: doneRun(), failure: 'the gateway 192.168.1.1 does not answer from br-office',
        checks: ['br-office has 192.168.1.20/24'], rollback: { status: 'done', steps: [], rolledBack: [], left: [] },
      })),
    });
    await apply(wrapper);
    expect(wrapper.find('[data-bridged-countdown]').exists()).toBe(false);
    const outcome = wrapper.get('[data-bridged-outcome]');
    expect(outcome.attributes('data-outcome')).toBe('verify-failed');
    expect(outcome.text()).toContain('The check failed: the gateway 192.168.1.1 does not answer from br-office.');
    expect(outcome.text()).toContain('Everything was rolled back at once: eth0 is as it was before.');
    await wrapper.get('[data-action="retry"]').trigger('click');
    expect(wrapper.get('form').attributes('data-step')).toBe('settings');
  });

  it('shows the progress main pushes for each step of the apply', async () => {
    let finish: (r: BridgedCreateResult) => void = () => undefined;
    const { wrapper, bridge, bridged } = await atReview({
      'bridged:create': vi.fn(() => new Promise<BridgedCreateResult>((resolve) => { finish = resolve; })),
    });
    await apply(wrapper);
    const runId = bridged.run!.id;
    bridge.emit('bridged:progress', { runId, phase: 'apply', index: 0, total: 1, step: { op: 'uplink.bridge', network: 'office', uplink: 'eth0', bridge: 'br-office' }, status: 'running' });
    await settle();
    expect(wrapper.get('[data-step-state]').attributes('data-step-state')).toBe('running');
    bridge.emit('bridged:progress', { runId, phase: 'apply', index: 0, total: 1, step: { op: 'uplink.bridge', network: 'office', uplink: 'eth0', bridge: 'br-office' }, status: 'done' });
    await settle();
    expect(wrapper.get('[data-bridged-verifying]').text()).toContain('Checking that the gateway answers through br-office');
    finish({ status: 'pending', network: 'office', run: doneRun(), pending: pending(), checks: [], warnings: [] });
    await settle();
    expect(wrapper.find('[data-bridged-verifying]').exists()).toBe(false);
    expect(wrapper.find('[data-bridged-countdown]').exists()).toBe(true);
  });
});
