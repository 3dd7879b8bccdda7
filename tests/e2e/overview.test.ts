import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { labUnavailableReason, type Lab } from '../lab/lab';
import { SCREENSHOTS, startAppInLab, type AppInLab } from './app-in-lab';
import type { Transport } from './transport/start-transport';
import { LAB_LIBVIRT_URI, startLibvirtd } from '../lab/libvirtd';

const skip = labUnavailableReason();
if (skip) console.log(`skipped overview E2E: ${skip}`);

const PUSH_TIMEOUT_MS = 10_000;

/** The lab's network as a user of KVMNet would have it: a KVMNet bridge with two VM taps, and a veth pair. */
const LAB_LINKS = [
  'link add kvbr0 type bridge',
  'link set kvbr0 alias kvmnet:demo',
  'addr add 10.77.0.1/24 dev kvbr0',
  'link set kvbr0 up',
  'tuntap add dev kvtap0 mode tap',
  'tuntap add dev kvtap1 mode tap',
  'link set kvtap0 master kvbr0',
  'link set kvtap1 master kvbr0',
  'link set kvtap0 up',
  'link set kvtap1 up',
  'link add kvveth0 type veth peer name kvveth1',
  'link set kvveth0 up',
  'link set kvveth1 up',
].join('\n');

/** libvirtd with one defined (not started) network: it is listed without adding a link until it starts. */
async function startLibvirt(lab: Lab): Promise<void> {
  await startLibvirtd(lab);
  await lab.sh('tee', ['/run/libvirt/kvlab.xml'], { input: "<network><name>kvlab</name><bridge name='kvlv0'/><ip address='10.78.0.1' prefix='24'/></network>" });
  await lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-define', '/run/libvirt/kvlab.xml']);
}

const node = (id: string) => `.vue-flow__node[data-id="${id}"]`;
const edge = (id: string) => `.vue-flow__edge[data-id="${id}"]`;

const attributes = (page: Page, selector: string, name: string) =>
  page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);

describe.skipIf(skip)('Overview in Chromium against the real main-process handlers, inside a lab', () => {
  let lab: Lab | undefined;
  let transport: Transport | undefined;
  let app: AppInLab | undefined;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    app = await startAppInLab({
      async prepare(l) {
        await l.sh('ip', ['-batch', '-'], { input: LAB_LINKS });
        await startLibvirt(l);
      },
      pageTimeoutMs: 10_000,
      viewport: { width: 1280, height: 900 },
    });
    ({ lab, transport, page, problems } = app);
  });

  afterAll(() => app?.close());

  it('draws the lab\'s bridge, its taps and the networks as nodes joined by edges, and opens a node\'s details on click', async () => {
    await page.goto(transport!.url);
    await page.locator(edge('port:link:kvtap0→link:kvbr0')).waitFor();
    expect((await attributes(page, '.vue-flow__node', 'data-id')).sort()).toEqual([
      'link:kvbr0', 'link:kvtap0', 'link:kvtap1', 'link:kvveth0', 'link:kvveth1', 'network:demo', 'network:kvlab',
    ]);
    expect((await attributes(page, '.vue-flow__edge', 'data-id')).sort()).toEqual([
      'network:link:kvbr0→network:demo', 'peer:link:kvveth0→link:kvveth1', 'port:link:kvtap0→link:kvbr0', 'port:link:kvtap1→link:kvbr0',
    ]);
    expect(await page.locator(node('link:kvbr0')).getAttribute('aria-label')).toBe('Bridge kvbr0, No carrier');
    expect(await page.locator(node('network:kvlab')).getAttribute('aria-label')).toBe('Virtual network kvlab, Inactive');
    // edges go from a tap's right side to its bridge's left: the layout runs left to right
    const [tap, bridge] = await Promise.all([page.locator(node('link:kvtap0')).boundingBox(), page.locator(node('link:kvbr0')).boundingBox()]);
    expect(tap!.x + tap!.width).toBeLessThan(bridge!.x);

    await page.locator(node('link:kvbr0')).click();
    const details = page.locator('[data-topology-details]');
    expect(await details.locator('h3').textContent()).toBe('kvbr0');
    expect(await details.locator('[data-address]').allTextContents()).toEqual(['10.77.0.1/24']);
    expect(await details.locator('[data-owner]').allTextContents()).toEqual(['KVMNet · demo']);
    expect(await attributes(page, '[data-topology-details] [data-connection]', 'data-connection')).toEqual(['link:kvtap0', 'link:kvtap1', 'network:demo']);
    expect(await page.locator('[data-status="transport"]').textContent()).toContain('Test transport');
    expect(await page.locator('[data-privilege-text]').textContent()).toBe('Read-only — administrator rights are needed to change networks');
    await page.screenshot({ path: `${SCREENSHOTS}/overview.png` });
  });

  it('draws a link made in the lab through a pushed event, without reloading', async () => {
    await transport!.eventClient();
    await page.evaluate(() => Object.assign(globalThis, { kvmnetE2eMarker: 'same document' }));
    await lab!.sh('ip', ['-batch', '-'], { input: 'tuntap add dev kvtap2 mode tap\nlink set kvtap2 master kvbr0\ntuntap add dev kvtun0 mode tun\n' });
    await page.locator(edge('port:link:kvtap2→link:kvbr0')).waitFor({ timeout: PUSH_TIMEOUT_MS });
    await page.locator(node('link:kvtun0')).waitFor({ timeout: PUSH_TIMEOUT_MS });
    expect(await page.locator(node('link:kvtap2')).getAttribute('aria-label')).toBe('TAP device kvtap2, Down');
    // the selection survives the update, and the details follow it
    expect(await attributes(page, '[data-topology-details] [data-connection]', 'data-connection')).toEqual(['link:kvtap0', 'link:kvtap1', 'link:kvtap2', 'network:demo']);
    expect(await page.evaluate(() => (globalThis as { kvmnetE2eMarker?: string }).kvmnetE2eMarker)).toBe('same document');
  });

  it('lists the same interfaces in the List tab: the bridge with its ports, and who owns what', async () => {
    await page.getByRole('tab', { name: 'List' }).click();
    await page.locator('[data-bridge="kvbr0"]').waitFor();
    expect((await attributes(page, '[data-link]', 'data-link')).sort()).toEqual(['kvbr0', 'kvtun0', 'kvveth0', 'kvveth1']);
    expect(await attributes(page, '[data-bridge="kvbr0"] [data-port]', 'data-port')).toEqual(['kvtap0', 'kvtap1', 'kvtap2']);
    const bridge = page.locator('[data-bridge="kvbr0"]');
    await expect.poll(() => bridge.locator('[data-address]').allTextContents()).toEqual(['10.77.0.1/24']);
    expect(await bridge.locator('[data-owner]').allTextContents()).toEqual(['KVMNet · demo']);
    expect(await bridge.locator('[data-port="kvtap0"] [data-kind]').textContent()).toBe('TAP');
    expect(await page.locator('[data-link="kvveth0"]').textContent()).toContain('Paired with kvveth1');
    const network = page.locator('[data-network="kvlab"]');
    expect(await network.locator('[data-network-state]').textContent()).toBe('Inactive');
    expect(await network.textContent()).toContain('kvlv0');
    await page.screenshot({ path: `${SCREENSHOTS}/overview-list.png` });
  });

  it('shows a libvirt network as active, with its bridge, once it starts', async () => {
    await lab!.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-start', 'kvlab']);
    const bridge = page.locator('[data-bridge="kvlv0"]');
    await bridge.waitFor({ timeout: PUSH_TIMEOUT_MS });
    await expect.poll(() => bridge.locator('[data-address]').allTextContents(), { timeout: PUSH_TIMEOUT_MS }).toEqual(['10.78.0.1/24']);
    await expect.poll(() => page.locator('[data-network="kvlab"] [data-network-state]').getAttribute('data-network-state'), { timeout: PUSH_TIMEOUT_MS }).toBe('active');
    await page.getByRole('tab', { name: 'Diagram' }).click();
    await page.locator(edge('network:link:kvlv0→network:kvlab')).waitFor({ state: 'attached', timeout: PUSH_TIMEOUT_MS });
    expect(await page.locator(node('network:kvlab')).getAttribute('aria-label')).toBe('Virtual network kvlab, Active');
  });

  it('can be driven by the keyboard alone, with a visible focus ring', async () => {
    await page.reload();
    await page.locator(edge('port:link:kvtap0→link:kvbr0')).waitFor();
    const focused = page.locator(':focus');
    await page.keyboard.press('Tab');
    expect(await focused.textContent()).toBe('Skip to content');
    expect(await focused.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).outlineStyle)).toBe('solid');
    await page.keyboard.press('Enter');
    expect(await focused.getAttribute('id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await focused.getAttribute('data-tab')).toBe('diagram');
    await page.keyboard.press('ArrowRight');
    expect(await focused.getAttribute('data-tab')).toBe('list');
    await page.locator('[data-bridge="kvbr0"]').waitFor();
    await page.keyboard.press('ArrowLeft');
    expect(await focused.getAttribute('data-tab')).toBe('diagram');
    await page.locator(edge('port:link:kvtap0→link:kvbr0')).waitFor();
    // from the tabs into the diagram: its nodes are the next stops, each with its label
    await page.keyboard.press('Tab');
    expect(await focused.getAttribute('class')).toContain('vue-flow__node');
    expect(await focused.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).outlineStyle)).toBe('solid');
    const name = (await focused.getAttribute('data-id'))!.replace(/^\w+:/, '');
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-topology-details] h3').textContent()).toBe(name);
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-topology-details] h3.mono').count()).toBe(0);
    expect((await focused.getAttribute('data-id'))!.endsWith(name)).toBe(true);
    await page.getByRole('link', { name: 'Settings' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Settings');
    await page.keyboard.press('Tab');
    expect(await focused.getAttribute('data-setting')).toBe('language');
    await page.keyboard.press('Tab');
    expect(await focused.getAttribute('value')).toBe('system');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(await focused.getAttribute('value')).toBe('light');
    await page.keyboard.press('ArrowLeft');
    expect(await focused.getAttribute('value')).toBe('system');
    await page.getByRole('link', { name: 'Overview' }).click();
  });

  it('follows the desktop\'s dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.locator(edge('port:link:kvtap0→link:kvbr0')).waitFor();
    await page.locator(node('network:kvlab')).click();
    await page.screenshot({ path: `${SCREENSHOTS}/overview-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it.each([
    ['vi', 'Tiếng Việt', 'Tổng quan', 'Sơ đồ', 'Cầu nối kvbr0, trạng thái Không có tín hiệu', 'Danh sách', 'Cầu nối'],
    ['zh-CN', '简体中文', '概览', '拓扑图', '网桥 kvbr0，无载波', '列表', '网桥'],
  ])('switches to %s in Settings and shows the overview in it', async (code, language, title, diagram, bridgeLabel, list, bridgesHeading) => {
    await page.getByRole('link', { name: /Settings|Cài đặt|设置/ }).click();
    await page.getByRole('combobox').selectOption({ label: language });
    await page.getByRole('link', { name: title }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(title);
    expect(await page.locator('html').getAttribute('lang')).toBe(code);
    expect(await page.locator('[data-tab="diagram"]').textContent()).toBe(diagram);
    await page.locator(edge('port:link:kvtap0→link:kvbr0')).waitFor();
    expect(await page.locator(node('link:kvbr0')).getAttribute('aria-label')).toBe(bridgeLabel);
    await page.locator(node('link:kvbr0')).click();
    await page.screenshot({ path: `${SCREENSHOTS}/overview-${code}.png` });
    await page.getByRole('tab', { name: list }).click();
    expect(await page.getByRole('heading', { level: 2, name: new RegExp(`^${bridgesHeading}`) }).count()).toBe(1);
  });

  it('unlocks through the real privilege session: the root helper starts inside the lab', async () => {
    await page.getByRole('link', { name: '设置' }).click();
    await page.getByRole('combobox').selectOption({ label: 'English' });
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('[data-action="why"]').click();
    const explanation = page.getByRole('dialog', { name: 'Why KVMNet asks for administrator rights' });
    expect(await explanation.textContent()).toContain('/etc/kvmnet');
    await page.screenshot({ path: `${SCREENSHOTS}/privilege-explained.png` });
    await explanation.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('[data-privilege-text]').textContent(), { timeout: 20_000 }).toBe('Administrator rights: running as root');
    expect(await page.locator('[data-action="unlock"]').count()).toBe(0);
  });

  it('shows the rate of traffic on a link\'s edge while the diagram is on screen, with no netlink change to bring it, and stops the feed when it goes', async () => {
    // a guest's NIC stand-in: a veth whose one end is a port of kvbr0 and whose other end, with an address, sits in a namespace of its own
    await lab!.sh('ip', ['-batch', '-'], { input: 'netns add kvguest\nlink add kvguest0 type veth peer name eth0 netns kvguest\nlink set kvguest0 master kvbr0\n' });
    // IPv6's own chatter (router solicitations, MLD, DAD) would give the idle link a rate of its own for seconds
    await lab!.sh('sysctl', ['-qw', 'net.ipv6.conf.kvbr0.disable_ipv6=1', 'net.ipv6.conf.kvguest0.disable_ipv6=1']);
    await lab!.sh('ip', ['netns', 'exec', 'kvguest', 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.eth0.disable_ipv6=1']);
    await lab!.sh('ip', ['link', 'set', 'kvguest0', 'up']);
    await lab!.sh('ip', ['-n', 'kvguest', '-batch', '-'], { input: 'addr add 10.77.0.2/24 dev eth0\nlink set eth0 up\n' });
    const guestEdge = edge('port:link:kvguest0→link:kvbr0');
    await page.locator(guestEdge).waitFor({ state: 'attached', timeout: PUSH_TIMEOUT_MS });
    // count what main pushes from here on: snapshots (a netlink change) and counter samples
    await page.evaluate(() => {
      const seen = { changed: 0, counters: 0 };
      const bridge = (globalThis as unknown as { kvmnet: { on(e: string, l: () => void): void } }).kvmnet;
      bridge.on('host:changed', () => { seen.changed++; });
      bridge.on('host:counters', () => { seen.counters++; });
      Object.assign(globalThis, { kvmnetE2eSeen: seen });
    });
    const seen = () => page.evaluate(() => ({ ...(globalThis as unknown as { kvmnetE2eSeen: { changed: number; counters: number } }).kvmnetE2eSeen }));
    // the new port brings carrier to kvbr0 and with it IPv6 link-local addresses: wait until the host is quiet
    let last = -1;
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 1000));
      const { changed } = await seen();
      quiet = changed === last ? quiet + 1 : 0;
      last = changed;
    }
    const rate = page.locator(`[data-edge-label="port:link:kvguest0→link:kvbr0"] [data-rate]`);
    await expect.poll(() => rate.count(), { timeout: PUSH_TIMEOUT_MS, message: 'an idle link shows no rate' }).toBe(0);

    const before = await seen();
    const ping = lab!.spawn('busybox', ['ping', '-i', '0.2', '-s', '1000', '-c', '40', '-q', '10.77.0.2'], { reject: false });
    try {
      await rate.waitFor({ timeout: PUSH_TIMEOUT_MS });
      // about 5 kB/s each way: 1042-byte echoes five times a second
      expect(await rate.textContent()).toMatch(/[1-9][\d.]* kB\/s/);
      const during = await seen();
      expect(during.changed - before.changed, 'snapshots pushed meanwhile: the rate came from the counters feed alone').toBe(0);
      expect(during.counters - before.counters).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: `${SCREENSHOTS}/overview-rates.png` });
    } finally {
      ping.kill('SIGTERM');
      await ping;
    }

    // away from the diagram nobody watches: main pushes no more counters
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Settings');
    await new Promise((r) => setTimeout(r, 500));
    const away = await seen();
    await new Promise((r) => setTimeout(r, 4500));
    expect((await seen()).counters - away.counters, 'counter samples while no diagram is shown').toBe(0);
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect.poll(async () => (await seen()).counters - away.counters, { timeout: PUSH_TIMEOUT_MS }).toBeGreaterThan(0);
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
