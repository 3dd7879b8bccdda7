import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Lab } from '../lab/lab';
import { networkManagerLabUnavailableReason, startLanRouter, startNetworkManager, waitFor, type LabNetworkManager } from '../lab/network-manager';
import { activeProfiles, connectEth0, kernelLink, LAPTOP_MAC } from '../integration/nm/nm-lab-steps';
import { SCREENSHOTS, startAppInLab, type AppInLab } from './app-in-lab';
import type { Transport } from './transport/start-transport';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped bridge-to-LAN NetworkManager E2E: ${skip}`);

/** NetworkManager activates the bridge and DHCP renews the lease on it before the checks pass */
const APPLY_TIMEOUT_MS = 90_000;

describe.skipIf(skip)('Bridge to LAN from the wizard through NetworkManager (DHCP uplink), in Chromium against the real handlers and helper', () => {
  let lab: Lab | undefined;
  let nm: LabNetworkManager;
  let transport: Transport | undefined;
  let app: AppInLab | undefined;
  let page: Page;
  let problems: string[] = [];
  let eth0Address: string;

  beforeAll(async () => {
    app = await startAppInLab({
      async prepare(l) {
        const router = await startLanRouter(l, { laptopIfname: 'eth0', laptopMac: LAPTOP_MAC });
        nm = await startNetworkManager(l, { devices: ['eth0'] });
        await connectEth0({ lab: l, nm, router }, 'home', ['ipv4.method', 'auto', 'ipv6.method', 'disabled']);
        eth0Address = (await kernelLink(l, 'eth0'))!.addresses[0]!;
      },
    });
    ({ lab, transport, page, problems } = app);
  }, 150_000);

  afterAll(() => app?.close());

  it('plans NetworkManager profiles, and Keep leaves the bridge with eth0\'s DHCP lease, kept by NetworkManager', async () => {
    await page.goto(`${transport!.url}#/networks`);
    await page.locator('[data-action="new-network"]').click();
    await page.getByRole('radio', { name: /^Bridged to LAN/ }).check();
    await page.locator('button[data-action="next"]').click();
    await page.locator('[data-uplink="eth0"]').click();
    await page.locator('button[data-action="next"]').click();
    const persistence = page.locator('[data-bridged-persistence]');
    await persistence.waitFor();
    expect(await persistence.getAttribute('data-persistence')).toBe('networkmanager');
    expect(await persistence.textContent()).toContain('Kept by NetworkManager');
    expect(await page.locator('[data-plan-steps]').textContent()).toContain('Take a NetworkManager checkpoint of eth0');
    await page.screenshot({ path: `${SCREENSHOTS}/wizard-bridged-review-nm.png` });

    await page.locator('button[data-action="apply"]').click();
    const dialog = page.locator('[data-bridged-countdown]');
    await dialog.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect((await kernelLink(lab!, 'br-lan'))?.addresses).toEqual([eth0Address]);
    await page.screenshot({ path: `${SCREENSHOTS}/bridged-countdown-nm.png` });
    await dialog.locator('[data-action="keep"]').click();
    const outcome = page.locator('[data-bridged-outcome]');
    await outcome.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await outcome.getAttribute('data-outcome')).toBe('confirmed');
    expect(await outcome.textContent()).toContain('NetworkManager keeps it after a reboot.');

    expect((await kernelLink(lab!, 'br-lan'))?.addresses).toEqual([eth0Address]);
    expect((await kernelLink(lab!, 'eth0'))?.master).toBe('br-lan');
    expect(await activeProfiles(nm)).toMatchObject({ 'br-lan': 'kvmnet-br-lan', eth0: 'kvmnet-br-lan-port-eth0' });
  }, 180_000);

  it('deleting it from the Networks page gives eth0 its own profile and lease back', async () => {
    await page.goto(`${transport!.url}#/networks`);
    const row = page.locator('[data-bridged-row="lan"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('NetworkManager');
    await row.locator('[data-action="delete-bridged"]').click();
    await page.locator('dialog[open] [data-action="confirm"]').click();
    const result = page.locator('[data-bridged-delete-result]');
    await result.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await result.getAttribute('data-status')).toBe('deleted');
    await waitFor('eth0 did not get "home" and its address back', async () => {
      const link = await kernelLink(lab!, 'eth0');
      return (await activeProfiles(nm)).eth0 === 'home' && link?.addresses[0] === eth0Address && link.master === undefined ? true : undefined;
    }, 30_000, () => nm.log().slice(-3000));
    expect(await kernelLink(lab!, 'br-lan')).toBeUndefined();
  }, 180_000);

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
