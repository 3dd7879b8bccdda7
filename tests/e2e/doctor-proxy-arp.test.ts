import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { labUnavailableReason, type Lab } from '../lab/lab';
import { startAppInLab, type AppInLab } from './app-in-lab';
import type { Transport } from './transport/start-transport';

const skip = labUnavailableReason();
if (skip) console.log(`skipped doctor proxy-arp E2E: ${skip}`);

const PROXY_ARP = '/proc/sys/net/ipv4/conf/eth0/proxy_arp';

/**
 * A running routed network "wifi" with proxy ARP on eth0, as KVMNet leaves it (record, bridge with
 * the owner alias holding the slice's first address, its dnsmasq), and the fault: eth0's proxy_arp
 * back at 0, as a re-plugged Wi-Fi adapter or a reconnect leaves it.
 */
const RECORD = {
  version: 1,
  spec: {
    name: 'wifi', kind: 'routed', backend: 'direct', bridge: 'kv-wifi', uplink: 'eth0', proxyArp: true,
    ipv4: { subnet: '192.168.50.240/28', gateway: '192.168.50.241' }, dhcp: { start: '192.168.50.242', end: '192.168.50.254' }, autostart: true,
  },
  proxyArpBefore: '0',
};
const LAB_LINKS = [
  'link add eth0 type veth peer name router0',
  'link set eth0 up',
  'link set router0 up',
  'addr add 192.168.50.2/24 dev eth0',
  'route add default via 192.168.50.1 dev eth0',
  'link add kv-wifi type bridge',
  'link set kv-wifi alias kvmnet:wifi',
  'addr add 192.168.50.241/28 dev kv-wifi',
  'link set kv-wifi up',
].join('\n');

async function seedNetwork(lab: Lab): Promise<void> {
  await lab.sh('ip', ['-batch', '-'], { input: LAB_LINKS });
  await lab.sh('mkdir', ['-p', '/etc/kvmnet/networks', '/run/kvmnet/dnsmasq']);
  await lab.sh('tee', ['/etc/kvmnet/networks/wifi.json'], { input: JSON.stringify(RECORD), stdout: 'ignore' });
  await lab.sh('dnsmasq', ['--conf-file=/dev/null', '--interface=kv-wifi', '--bind-interfaces', '--except-interface=lo', '--port=0', '--leasefile-ro',
    '--dhcp-range=192.168.50.242,192.168.50.254', '--pid-file=/run/kvmnet/dnsmasq/wifi.pid']);
  await lab.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  await lab.sh('sh', ['-c', `echo 0 > ${PROXY_ARP}`]);
}

describe.skipIf(skip)('Doctor view: proxy ARP off on a proxy-ARP network’s uplink, in Chromium against the real handlers in a lab', () => {
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

  const check = () => page.locator('[aria-labelledby="doctor-findings"] [data-check="proxy-arp"]');

  it('shows the finding by name with its fix previewed, applies it through the helper, and undoes it', async () => {
    await page.goto(transport!.url);
    await page.getByRole('link', { name: 'Doctor' }).click();
    await check().waitFor();
    expect(await check().locator('header [data-status]').textContent()).toBe('Problem');
    expect(await check().locator('.check-name').textContent()).toBe('Proxy ARP on the uplink');
    expect(await check().locator('h3').textContent()).toBe('Proxy ARP is off on eth0: the LAN cannot reach the guests of the network "wifi"');
    expect(await check().locator('[data-preview="fix"]').textContent()).toContain('sysctl -w net/ipv4/conf/eth0/proxy_arp=1');
    expect(await check().locator('[data-preview="undo"]').textContent()).toContain('sysctl -w net/ipv4/conf/eth0/proxy_arp=0');
    for (const id of ['ip-forward', 'subnet-overlap', 'dnsmasq-running']) {
      expect(await page.locator(`[aria-labelledby="doctor-passed"] [data-check="${id}"] [data-status]`).textContent(), id).toBe('OK');
    }

    await check().locator('button[data-action="fix"]').click();
    await expect.poll(() => check().locator('[data-result]').textContent(), { timeout: 30_000 }).toContain('Fixed');
    expect((await lab!.sh('cat', [PROXY_ARP])).trim()).toBe('1');
    expect(await check().locator('header [data-status]').textContent()).toBe('OK');

    await check().locator('button[data-action="undo"]').click();
    await expect.poll(() => check().locator('[data-result]').textContent(), { timeout: 30_000 }).toContain('Fix undone');
    expect((await lab!.sh('cat', [PROXY_ARP])).trim()).toBe('0');
    expect(await check().locator('header [data-status]').textContent()).toBe('Problem');
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
