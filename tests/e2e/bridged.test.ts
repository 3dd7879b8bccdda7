import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readHostState, type HostState } from '../lab/host-state';
import { labUnavailableReason, type Lab } from '../lab/lab';
import { settleLinks } from '../lab/laptop-lan';
import { startLanRouter, type LabLanRouter } from '../lab/network-manager';
import { SCREENSHOTS, startAppInLab, type AppInLab } from './app-in-lab';
import type { Transport } from './transport/start-transport';

const skip = labUnavailableReason();
if (skip) console.log(`skipped bridge-to-LAN E2E: ${skip}`);

/** apply, then the checks: the gateway must answer ARP from the bridge (a few seconds under load) */
const APPLY_TIMEOUT_MS = 60_000;
const LAPTOP_MAC = '02:00:00:00:00:10';
const ADDRESS = '203.0.113.50/24';

interface IpAddr { ifname: string; master?: string; address?: string; addr_info: { family: string; local: string; prefixlen: number }[] }

/**
 * The same state with the outcome files of ended changes left out: /run/kvmnet/pending/<name>.outcome.json
 * records how the last change of a network ended (for whoever waits on it in another process); it
 * is written by every ending, so it cannot equal the state before.
 */
const withoutOutcomes = (state: HostState): HostState => ({ ...state, runFiles: state.runFiles.split('\n').filter((l) => !l.includes('.outcome.json')).join('\n') });

describe.skipIf(skip)('Bridge to LAN from the wizard, in Chromium against the real handlers and helper, on a laptop without NetworkManager', () => {
  let lab: Lab | undefined;
  let router: LabLanRouter;
  let transport: Transport | undefined;
  let app: AppInLab | undefined;
  let page: Page;
  let problems: string[] = [];
  let before: HostState;

  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  const addrs = async (): Promise<IpAddr[]> => JSON.parse(await lab!.sh('ip', ['-j', 'addr', 'show'])) as IpAddr[];
  const ipv4 = (links: IpAddr[], name: string) => links.find((l) => l.ifname === name)?.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
  const settledState = async () => {
    await settleLinks(lab!);
    return withoutOutcomes(await readHostState(lab!));
  };

  /** mode → name and uplink → review (runtime only) → Apply, until the countdown is up (or, told so, until the apply ends without one) */
  async function applyThroughWizard(name: string, confirmTimeout?: number, until = '[data-bridged-countdown]'): Promise<void> {
    // through the list, so that a wizard left on its result opens afresh
    await page.goto(`${transport!.url}#/networks`);
    await page.locator('[data-action="new-network"]').click();
    await page.getByRole('radio', { name: /^Bridged to LAN/ }).check();
    await page.locator('button[data-action="next"]').click();
    await page.locator('[data-field="name"] input').fill(name);
    if (confirmTimeout !== undefined) await page.locator('[data-field="confirmTimeout"] input').fill(String(confirmTimeout));
    const eth0 = page.locator('[data-uplink="eth0"]');
    expect(await eth0.textContent()).toContain(ADDRESS);
    await eth0.click();
    await page.locator('button[data-action="next"]').click();
    const persistence = page.locator('[data-bridged-persistence]');
    await persistence.waitFor();
    expect(await persistence.getAttribute('data-persistence')).toBe('runtime');
    expect(await persistence.textContent()).toContain('Until the next reboot only');
    await page.getByRole('tab', { name: 'Commands' }).click();
    expect(await page.locator('[data-review-tab="commands"] pre').textContent()).toContain(`ip link set dev eth0 master br-${name}`);
    await page.getByRole('tab', { name: 'Steps' }).click();
    if (name === 'lan') await shot('wizard-bridged-review');
    await page.locator('button[data-action="apply"]').click();
    await page.locator(until).waitFor({ timeout: APPLY_TIMEOUT_MS });
  }

  beforeAll(async () => {
    app = await startAppInLab({
      async prepare(l) {
        router = await startLanRouter(l, { laptopIfname: 'eth0', laptopMac: LAPTOP_MAC });
        // as the CLI's runtime proof: eth0 addressed by hand, as on a laptop whose network no manager owns
        await l.sh('ip', ['-batch', '-'], { input: `link set eth0 up\naddr add ${ADDRESS} dev eth0\nroute add default via ${router.gateway} dev eth0 metric 100\n` });
      },
    });
    ({ lab, transport, page, problems } = app);
    before = await settledState();
  }, 120_000);

  afterAll(() => app?.close());

  it('applies, counts down with the focus on Keep, and Keep leaves the bridge holding eth0\'s address', async () => {
    const started = performance.now();
    await applyThroughWizard('lan');
    const pendingAfter = performance.now() - started;
    const dialog = page.locator('[data-bridged-countdown]');
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    expect(await dialog.locator('[data-action="keep"]').evaluate((el: { ownerDocument: { activeElement: unknown } }) => el.ownerDocument.activeElement === el)).toBe(true);
    const secondsLeft = Number(await dialog.locator('[data-seconds-left]').textContent());
    expect(secondsLeft).toBeGreaterThan(10);
    expect(secondsLeft).toBeLessThanOrEqual(60);
    // the change is in place while it waits: the lab's own kernel says so
    let links = await addrs();
    expect(ipv4(links, 'br-lan')).toEqual([ADDRESS]);
    expect(links.find((l) => l.ifname === 'eth0')?.master).toBe('br-lan');
    expect(links.find((l) => l.ifname === 'br-lan')?.address).toBe(LAPTOP_MAC);
    await expect.poll(async () => Number(await dialog.locator('[data-seconds-left]').textContent()), { timeout: 5000 }).toBeLessThan(secondsLeft);
    await shot('bridged-countdown');

    await page.keyboard.press('Enter');
    const outcome = page.locator('[data-bridged-outcome]');
    await outcome.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await outcome.getAttribute('data-outcome')).toBe('confirmed');
    expect(await outcome.textContent()).toContain('eth0 is bridged to the LAN as br-lan.');
    expect(await dialog.count()).toBe(0);
    await shot('bridged-kept');
    console.log(`bridged from the wizard (runtime): the countdown was up ${pendingAfter.toFixed(0)} ms after Next`);

    links = await addrs();
    expect(ipv4(links, 'br-lan')).toEqual([ADDRESS]);
    expect(ipv4(links, 'eth0')).toEqual([]);
    expect(links.find((l) => l.ifname === 'eth0')?.master).toBe('br-lan');
    expect(await lab!.sh('ip', ['-4', 'route', 'show', 'default'])).toContain(`default via ${router.gateway} dev br-lan`);
    // kept: nothing waits any more, so no timer will take it back
    expect((await lab!.run('test', ['-e', '/run/kvmnet/pending/lan.json'])).exitCode).toBe(1);
  }, 120_000);

  it('lists the bridge on the Networks page, and deleting it there gives eth0 back exactly', async () => {
    await page.goto(`${transport!.url}#/networks`);
    const row = page.locator('[data-bridged-row="lan"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Nobody (gone at reboot)');
    expect(await row.locator('[data-state]').getAttribute('data-state')).toBe('active');
    await shot('networks-bridged');
    await row.locator('[data-action="delete-bridged"]').click();
    await page.locator('dialog[open] [data-action="confirm"]').click();
    const result = page.locator('[data-bridged-delete-result]');
    await result.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await result.getAttribute('data-status')).toBe('deleted');
    await page.locator('[data-bridged-row="lan"]').waitFor({ state: 'detached' });
    expect(await settledState()).toEqual(before);
  }, 120_000);

  it('Undo now rolls it back at once, says so, and the lab is as it was before', async () => {
    await applyThroughWizard('lan2');
    expect((await addrs()).find((l) => l.ifname === 'eth0')?.master).toBe('br-lan2');
    await page.locator('[data-bridged-countdown] [data-action="undo-now"]').click();
    const outcome = page.locator('[data-bridged-outcome]');
    await outcome.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await outcome.getAttribute('data-outcome')).toBe('rolled-back');
    expect(await outcome.textContent()).toContain('Rolled back: eth0 is as it was before.');
    expect(await outcome.textContent()).toContain('You chose Undo now.');
    await shot('bridged-rolled-back');
    expect(await settledState()).toEqual(before);
  }, 120_000);

  it('Escape in the countdown is Undo now', async () => {
    await applyThroughWizard('lan3');
    await page.keyboard.press('Escape');
    const outcome = page.locator('[data-bridged-outcome]');
    await outcome.waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await outcome.getAttribute('data-cause')).toBe('undone');
    expect(await settledState()).toEqual(before);
  }, 120_000);

  it('not confirmed in time: the helper\'s timer rolls it back by itself, and the dialog gives way to why', async () => {
    await applyThroughWizard('lan4', 15);
    const dialog = page.locator('[data-bridged-countdown]');
    expect(Number(await dialog.locator('[data-seconds-left]').textContent())).toBeLessThanOrEqual(15);
    const deadline = JSON.parse(await lab!.sh('cat', ['/run/kvmnet/pending/lan4.json'])) as { deadline: string };
    const outcome = page.locator('[data-bridged-outcome]');
    await outcome.waitFor({ timeout: 15_000 + APPLY_TIMEOUT_MS });
    const late = Date.now() - Date.parse(deadline.deadline);
    console.log(`bridged from the wizard (runtime): not confirmed; the page said it was rolled back ${(late / 1000).toFixed(1)} s after the deadline`);
    expect(await outcome.getAttribute('data-outcome')).toBe('rolled-back');
    expect(await outcome.getAttribute('data-cause')).toBe('timeout');
    expect(await outcome.textContent()).toContain('It was not confirmed before the countdown ran out.');
    expect(await dialog.count()).toBe(0);
    await shot('bridged-timed-out');
    expect(await settledState()).toEqual(before);
  }, 150_000);

  it('with the gateway silent during the checks: no countdown, rolled back at once, and the result names the failed check', async () => {
    // the router stops answering ARP, as a LAN that does not take the bridge would
    await lab!.sh('ip', ['netns', 'exec', 'router', 'sysctl', '-q', '-w', 'net.ipv4.conf.lan0.arp_ignore=8']);
    try {
      await applyThroughWizard('lan5', undefined, '[data-bridged-outcome]');
      const outcome = page.locator('[data-bridged-outcome]');
      expect(await outcome.getAttribute('data-outcome')).toBe('verify-failed');
      expect(await outcome.textContent()).toContain(`The check failed: the gateway ${router.gateway} does not answer from br-lan5.`);
      expect(await outcome.textContent()).toContain('Everything was rolled back at once: eth0 is as it was before.');
      expect(await page.locator('[data-bridged-countdown]').count()).toBe(0);
      await shot('bridged-check-failed');
    } finally {
      await lab!.sh('ip', ['netns', 'exec', 'router', 'sysctl', '-q', '-w', 'net.ipv4.conf.lan0.arp_ignore=0']);
    }
    expect(await settledState()).toEqual(before);
  }, 120_000);

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
