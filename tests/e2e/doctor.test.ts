import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { labUnavailableReason, type Lab } from '../lab/lab';
import { SCREENSHOTS, startAppInLab, type AppInLab } from './app-in-lab';
import type { Transport } from './transport/start-transport';

const skip = labUnavailableReason();
if (skip) console.log(`skipped doctor E2E: ${skip}`);

const PUSH_TIMEOUT_MS = 15_000;

/**
 * A direct NAT network "lab" as KVMNet leaves it (record, bridge with the owner alias and the
 * gateway, its dnsmasq), an uplink with the default route, and the seeded fault: IP forwarding off.
 */
const RECORD = {
  version: 1,
  spec: { name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0', ipv4: { subnet: '10.77.0.0/24', gateway: '10.77.0.1' }, dhcp: { start: '10.77.0.100', end: '10.77.0.200' }, autostart: true },
};
const LAB_LINKS = [
  'link add eth0 type veth peer name router0',
  'link set eth0 up',
  'link set router0 up',
  'addr add 192.168.50.2/24 dev eth0',
  'route add default via 192.168.50.1 dev eth0',
  'link add kvbr0 type bridge',
  'link set kvbr0 alias kvmnet:lab',
  'addr add 10.77.0.1/24 dev kvbr0',
  'link set kvbr0 up',
].join('\n');

async function seedNetwork(lab: Lab): Promise<void> {
  await lab.sh('ip', ['-batch', '-'], { input: LAB_LINKS });
  await lab.sh('mkdir', ['-p', '/etc/kvmnet/networks', '/run/kvmnet/dnsmasq']);
  await lab.sh('tee', ['/etc/kvmnet/networks/lab.json'], { input: JSON.stringify(RECORD), stdout: 'ignore' });
  await lab.sh('dnsmasq', ['--conf-file=/dev/null', '--interface=kvbr0', '--bind-interfaces', '--except-interface=lo', '--port=0', '--leasefile-ro',
    '--dhcp-range=10.77.0.100,10.77.0.200', '--pid-file=/run/kvmnet/dnsmasq/lab.pid']);
  await lab.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=0']);
}

describe.skipIf(skip)('Doctor view in Chromium against the real main-process handlers, inside a lab', () => {
  let lab: Lab | undefined;
  let transport: Transport | undefined;
  let app: AppInLab | undefined;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    app = await startAppInLab({ prepare: seedNetwork, pageTimeoutMs: 20_000, viewport: { width: 1280, height: 900 } });
    ({ lab, transport, page, problems } = app);
  }, 120_000);

  afterAll(() => app?.close());

  const findings = () => page.locator('[aria-labelledby="doctor-findings"]');

  it('opens from the sidebar and shows the seeded fault with its fix previewed', async () => {
    await page.goto(transport!.url);
    await page.getByRole('link', { name: 'Doctor' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Network doctor');
    const check = findings().locator('[data-check="ip-forward"]');
    await check.waitFor();
    expect(await check.locator('header [data-status]').textContent()).toBe('Problem');
    expect(await check.locator('h3').textContent()).toBe('IP forwarding is off: guests of the network "lab" cannot reach beyond the host');
    expect(await check.locator('[data-preview="fix"]').textContent()).toContain('sysctl -w net.ipv4.ip_forward=1');
    // the lab's other checks that concern networks are healthy
    for (const id of ['dnsmasq-running', 'subnet-overlap', 'duplicate-mac', 'forward-policy-drop']) {
      expect(await page.locator(`[aria-labelledby="doctor-passed"] [data-check="${id}"] [data-status]`).textContent(), id).toBe('OK');
    }
    await check.locator('details').first().locator('summary').click();
    await page.screenshot({ path: `${SCREENSHOTS}/doctor.png`, fullPage: true });
  });

  it('applies the fix through the real privilege session and helper, by keyboard, and shows the result', async () => {
    const apply = findings().locator('[data-check="ip-forward"] button[data-action="fix"]');
    await apply.focus();
    await page.keyboard.press('Enter');
    const result = findings().locator('[data-check="ip-forward"] [data-result]');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('Fixed');
    expect(await lab!.sh('sysctl', ['-n', 'net.ipv4.ip_forward'])).toBe('1');
    expect(await findings().locator('[data-check="ip-forward"] header [data-status]').textContent()).toBe('OK');
    expect(await page.locator('[data-privilege-text]').textContent()).toBe('Administrator rights: running as root');
    await page.screenshot({ path: `${SCREENSHOTS}/doctor-fixed.png`, fullPage: true });
  });

  it('checks again by itself when the network changes: a new route into the network’s subnet shows up without a reload', async () => {
    await transport!.eventClient();
    await lab!.sh('ip', ['route', 'add', '10.77.0.0/25', 'via', '192.168.50.1', 'dev', 'eth0']);
    const overlap = findings().locator('[data-check="subnet-overlap"]');
    await overlap.waitFor({ timeout: PUSH_TIMEOUT_MS });
    expect(await overlap.locator('h3').textContent()).toBe('The network "lab" (10.77.0.0/24) overlaps the host route 10.77.0.0/25 on eth0');
    expect(await page.locator('.announce').textContent()).toBe('The network changed, so the doctor checked again.');
  });

  it('undoes the fix by its own undo plan', async () => {
    await findings().locator('[data-check="ip-forward"] button[data-action="undo"]').click();
    const result = findings().locator('[data-check="ip-forward"] [data-result]');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('Fix undone');
    expect(await lab!.sh('sysctl', ['-n', 'net.ipv4.ip_forward'])).toBe('0');
    expect(await findings().locator('[data-check="ip-forward"] header [data-status]').textContent()).toBe('Problem');
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
