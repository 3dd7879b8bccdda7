import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { en } from '../../renderer/src/i18n/en';
import { vi } from '../../renderer/src/i18n/vi';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { readHostState } from '../lab/host-state';
import { labUnavailableReason, type Lab } from '../lab/lab';
import { addLaptopLan, settleLinks } from '../lab/laptop-lan';
import { LAB_LIBVIRT_URI, startLibvirtd } from '../lab/libvirtd';
import { SCREENSHOTS, startAppInLab, type AppInLab } from './app-in-lab';
import type { TransportBuild } from './transport/build-transport';
import type { Transport } from './transport/start-transport';

const skip = labUnavailableReason();
if (skip) console.log(`skipped networks E2E: ${skip}`);

const APPLY_TIMEOUT_MS = 60_000;
/** each check reads the lab's host (ip, virsh) again; under load that takes a while */
const CHECK_TIMEOUT_MS = 15_000;

/** a KVMNet-looking bridge already on 10.77.0.0/24: the subnet a user must not take again */
const LAB_LINKS = 'link add kvbr0 type bridge\nlink set kvbr0 alias kvmnet:demo\naddr add 10.77.0.1/24 dev kvbr0\nlink set kvbr0 up\n';

interface IpLink { ifname: string; linkinfo?: { info_kind?: string } }

type Tree = { [key: string]: string | Tree };
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}

/**
 * English fragments the wizard could show: every wizard, step and network message that the other
 * locale translates, cut at its {placeholders}. Short fragments ("NAT", "MTU") are left out: they
 * are the same words in every language.
 */
function englishFragments(code: 'vi' | 'zh-CN'): string[] {
  const translated = new Map(leaves((code === 'vi' ? vi : zhCN) as unknown as Tree));
  return leaves({ wizard: en.wizard, steps: en.steps, networks: en.networks, code: en.code } as unknown as Tree, '')
    .filter(([key, value]) => translated.get(key) !== value)
    .flatMap(([, value]) => value.split(/\{\w+\}/))
    .map((s) => s.trim())
    .filter((s) => s.length >= 6);
}

describe.skipIf(skip)('Networks in Chromium against the real main-process handlers and helper, inside a lab', () => {
  let app: AppInLab | undefined;
  let lab: Lab | undefined;
  let built: TransportBuild | undefined;
  let transport: Transport | undefined;
  let page: Page;
  let problems: string[] = [];

  const links = async (): Promise<IpLink[]> => JSON.parse(await lab!.sh('ip', ['-j', '-d', 'link', 'show'])) as IpLink[];
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  /** the visible words of the page, without code (commands and XML are not translated) */
  const visibleText = () => page.locator('#main').evaluate((main) => {
    const copy = main.cloneNode(true) as typeof main;
    copy.querySelectorAll('pre, .mono, [data-diagram] text').forEach((el: { remove(): void }) => el.remove());
    return copy.textContent ?? '';
  });

  beforeAll(async () => {
    app = await startAppInLab({
      async prepare(l) {
        await addLaptopLan(l);
        await l.sh('ip', ['-batch', '-'], { input: LAB_LINKS });
        await startLibvirtd(l);
        // libvirt's own network, which KVMNet lists read-only
        await l.sh('tee', ['/run/libvirt/labvirt.xml'], { input: "<network><name>labvirt</name><bridge name='labvirbr0'/><ip address='10.78.0.1' prefix='24'/></network>" });
        await l.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-define', '/run/libvirt/labvirt.xml']);
        // a VM of the user's, shut off, to put on a network from the Attach dialog
        await l.sh('tee', ['/run/libvirt/vm1.xml'], { input: "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>" });
        await l.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'define', '/run/libvirt/vm1.xml']);
      },
    });
    ({ lab, built, transport, page, problems } = app);
  });

  afterAll(() => app?.close());

  it('lists libvirt\'s network read-only, next to the way to make a new one', async () => {
    await page.goto(`${transport!.url}#/networks`);
    const row = page.locator('[data-network-row="labvirt"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('libvirt (read-only)');
    expect(await row.locator('[data-state]').getAttribute('data-state')).toBe('inactive');
    await shot('networks-list-empty');
  });

  let before: Awaited<ReturnType<typeof readHostState>>;

  it('creates a NAT network with the wizard, by keyboard, and the lab gets its bridge', async () => {
    await settleLinks(lab!);
    before = await readHostState(lab!);
    await page.getByRole('link', { name: 'New network' }).click();
    await page.locator('[data-step="mode"]').waitFor();
    expect(await page.getByRole('radio', { name: /^NAT/ }).isChecked()).toBe(true);
    await shot('wizard-1-mode');

    // the kinds are one radio group: arrow keys move the choice
    await page.getByRole('radio', { name: /^NAT/ }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: /^Host-only/ }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: /^NAT/ }).isChecked()).toBe(true);
    // NAT is chosen: Enter goes on, and the name field has the focus
    await page.keyboard.press('Enter');
    await page.locator('[data-step="settings"]').waitFor();
    await page.keyboard.type('webnat');
    await expect.poll(() => page.locator('[data-check-status]').textContent(), { timeout: CHECK_TIMEOUT_MS }).toContain('Ready to review');
    // the host's defaults, from the same core the CLI uses
    expect(await page.locator('[data-field="subnet"] input').getAttribute('placeholder')).toMatch(/^10\.\d+\.\d+\.0\/24$/);
    expect(await page.locator('[data-field="subnet"] input').getAttribute('placeholder')).not.toBe('10.77.0.0/24');

    // Escape goes back a step, Enter forward again
    await page.keyboard.press('Escape');
    await page.locator('[data-step="mode"]').waitFor();
    await page.getByRole('radio', { name: /^NAT/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-step="settings"]').waitFor();
    expect(await page.locator('[data-field="name"] input').inputValue()).toBe('webnat');

    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByRole('radio', { name: 'Direct' }).check();
    await expect.poll(() => page.locator('[data-check-status]').textContent(), { timeout: CHECK_TIMEOUT_MS }).toContain('Ready to review');
    await shot('wizard-2-settings');

    await page.locator('[data-field="name"] input').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-plan-steps]').waitFor();
    const planned = await page.locator('[data-plan-steps] li').allTextContents();
    expect(planned.some((s) => s.includes('Create the bridge kv-webnat'))).toBe(true);
    expect(await page.locator('[data-review-summary]').textContent()).toContain('webnat');
    await shot('wizard-3-review');
    await page.getByRole('tab', { name: 'Commands' }).click();
    expect(await page.locator('[data-review-tab="commands"] pre').textContent()).toContain("ip link add name kv-webnat type bridge");
    await page.getByRole('button', { name: 'Export as script' }).click();
    await expect.poll(() => page.locator('[data-exported]').textContent(), { timeout: CHECK_TIMEOUT_MS }).toContain('kvmnet-create-webnat.sh');
    const script = await readFile(join(built!.dir, 'exports', 'kvmnet-create-webnat.sh'), 'utf8');
    expect(script).toMatch(/^#!\/bin\/sh\nset -eu\n/);
    expect(script).toContain('ip link add name kv-webnat type bridge');
    // a script a shell can read: every here-document closed, every quote matched
    await lab!.sh('sh', ['-n', join(built!.dir, 'exports', 'kvmnet-create-webnat.sh')]);
    await shot('wizard-3-review-commands');

    await page.getByRole('button', { name: 'Create network' }).click();
    await expect.poll(() => page.locator('[data-run]').getAttribute('data-run-status'), { timeout: APPLY_TIMEOUT_MS }).toBe('done');
    const states = await page.locator('[data-step-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-state')));
    expect(states.length).toBe(planned.length);
    expect(new Set(states)).toEqual(new Set(['done']));
    await shot('wizard-4-done');

    const bridge = (await links()).find((l) => l.ifname === 'kv-webnat');
    expect(bridge?.linkinfo?.info_kind).toBe('bridge');

    await page.getByRole('link', { name: 'Open the network' }).click();
    await page.locator('[data-detail-state]').waitFor();
    expect(await page.locator('[data-detail-state]').getAttribute('data-state')).toBe('active');
    await page.getByRole('link', { name: 'All networks' }).click();
    await page.locator('[data-network-row="webnat"]').waitFor();
    expect(await page.locator('[data-network-row="webnat"]').textContent()).toContain('kv-webnat');
    await shot('networks-list');
  });

  it('refuses an overlapping subnet in the field, and the lab stays as it was', async () => {
    await settleLinks(lab!);
    const unchanged = await readHostState(lab!);
    await page.getByRole('link', { name: 'New network' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('[data-field="name"] input').fill('clash');
    await page.locator('[data-field="subnet"] input').fill('10.77.0.0/24');
    const error = page.locator('[data-field="subnet"] [data-field-error]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/overlaps .*10\.77\.0\.0\/24.*pick another/);
    expect(await page.locator('[data-field="subnet"] input').getAttribute('aria-invalid')).toBe('true');
    await shot('wizard-2-settings-error');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.locator('form').getAttribute('data-step')).toBe('settings');
    await expect.poll(() => page.locator('[data-field="subnet"] input:focus').count(), { timeout: CHECK_TIMEOUT_MS }).toBe(1);
    await settleLinks(lab!);
    expect(await readHostState(lab!)).toEqual(unchanged);
  });

  it('adds a NIC on the network to a libvirt VM from the Attach dialog, lists it with the guests, and Remove gives the VM back as it was', async () => {
    const domainXml = () => lab!.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'dumpxml', '--inactive', 'vm1']);
    const xmlBefore = await domainXml();
    await page.goto(`${transport!.url}#/networks/webnat`);
    await page.locator('[data-action="attach"]').click();
    const dialog = page.locator('[data-attach-dialog]');
    await dialog.getByRole('tab', { name: 'libvirt VM' }).click();
    await dialog.locator('[data-field-input="domain"]').selectOption('vm1');
    await dialog.locator('[data-action="attach-vm"]').click();
    const added = dialog.locator('[data-added-vm]');
    await added.waitFor({ timeout: APPLY_TIMEOUT_MS });
    const mac = /MAC (\S+) to vm1/.exec((await added.textContent()) ?? '')?.[1];
    expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(await domainXml()).toMatch(new RegExp(`<interface type='bridge'>\\s*<mac address='${mac}'/>\\s*<source bridge='kv-webnat'/>`));
    await shot('attach-vm');
    await dialog.locator('[data-action="done"]').click();
    const row = page.locator(`[data-vm-nic="${mac}"]`);
    await row.waitFor({ timeout: CHECK_TIMEOUT_MS });
    expect(await row.getAttribute('data-domain')).toBe('vm1');
    await row.locator('[data-action="detach-vm"]').click();
    await expect.poll(() => page.locator(`[data-vm-nic="${mac}"]`).count(), { timeout: APPLY_TIMEOUT_MS }).toBe(0);
    expect(await domainXml()).toBe(xmlBefore);
  });

  it('deletes the network from its detail page, after asking, and the lab is back as before', async () => {
    await page.goto(`${transport!.url}#/networks/webnat`);
    await page.locator('[data-attach] [data-snippet="qemu"] pre').waitFor();
    expect(await page.locator('[data-attach] [data-snippet="qemu"] pre').textContent()).toMatch(/-netdev tap,id=kvt-webnat-0,ifname=kvt-webnat-0,script=no,downscript=no/);
    expect(await page.locator('[data-config="bridge"]').textContent()).toBe('kv-webnat');
    await shot('network-detail');
    for (const tab of ['virtInstall', 'libvirtXml', 'qemuIfup']) {
      await page.locator(`[data-attach] [data-tab="${tab}"]`).click();
      await page.locator(`[data-attach] [data-snippet="${tab}"] pre`).waitFor();
    }
    expect(await page.locator('[data-attach] [data-snippet="qemuIfup"] pre').textContent()).toContain("bridge='kv-webnat'");

    // stop, start and autostart through the same helper session; the lab follows each
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.locator('[data-detail-state]').getAttribute('data-state'), { timeout: APPLY_TIMEOUT_MS }).toBe('inactive');
    expect((await links()).some((l) => l.ifname === 'kv-webnat')).toBe(false);
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.locator('[data-detail-state]').getAttribute('data-state'), { timeout: APPLY_TIMEOUT_MS }).toBe('active');
    expect((await links()).some((l) => l.ifname === 'kv-webnat')).toBe(true);
    await page.getByRole('switch', { name: 'Start at boot' }).click();
    await expect.poll(() => page.locator('[data-run]').getAttribute('data-run-status'), { timeout: APPLY_TIMEOUT_MS }).toBe('done');
    expect(JSON.parse(await lab!.sh('cat', ['/etc/kvmnet/networks/webnat.json'])).spec.autostart).toBe(false);
    await expect.poll(() => page.getByRole('switch', { name: 'Start at boot' }).isChecked(), { timeout: CHECK_TIMEOUT_MS }).toBe(false);

    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete the network “webnat”?' });
    await dialog.waitFor();
    // the safe choice has the focus: Enter alone never deletes
    expect(await page.locator(':focus').getAttribute('data-action')).toBe('cancel');
    await shot('network-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete network' }).click();
    await page.waitForURL(/#\/networks$/, { timeout: APPLY_TIMEOUT_MS });
    await expect.poll(() => page.locator('[data-network-row="webnat"]').count(), { timeout: CHECK_TIMEOUT_MS }).toBe(0);
    expect((await links()).some((l) => l.ifname === 'kv-webnat')).toBe(false);
    await settleLinks(lab!);
    expect(await readHostState(lab!)).toEqual(before);
  });

  it('names the step that failed and what was undone, and the lab is back as before', async () => {
    // another DHCP server holds port 67 on every address: the 7th step (starting the network's dnsmasq) fails after 6 have run
    await lab!.sh('dnsmasq', ['--conf-file=/dev/null', '--port=0', '--dhcp-range=10.99.0.10,10.99.0.20', '--pid-file=/run/foreign-dnsmasq.pid']);
    await settleLinks(lab!);
    const unchanged = await readHostState(lab!);
    await page.goto(`${transport!.url}#/networks/new`);
    await page.locator('button[data-action="next"]').click();
    await page.locator('[data-field="name"] input').fill('broken');
    await page.locator('button[data-action="advanced"]').click();
    await page.getByRole('radio', { name: 'Direct' }).check();
    await expect.poll(() => page.locator('[data-check-status]').getAttribute('data-check-state'), { timeout: CHECK_TIMEOUT_MS }).toBe('valid');
    await page.locator('button[data-action="next"]').click();
    await page.locator('[data-plan-steps]').waitFor();
    const planned = await page.locator('[data-plan-steps] li').count();
    await page.getByRole('button', { name: 'Create network' }).click();
    await expect.poll(() => page.locator('[data-run]').getAttribute('data-run-status'), { timeout: APPLY_TIMEOUT_MS }).toBe('failed');
    expect(await page.locator('[data-failed-step]').textContent()).toMatch(/^Step “Start DHCP and DNS \(dnsmasq\) on kv-broken” failed: .*Address already in use/);
    // the six completed steps, and whatever the failed dnsmasq start had begun
    const undone = await page.locator('[data-rolled-back] li').allTextContents();
    expect(undone.length).toBe(7);
    expect(undone.at(-1)).toBe('Start DHCP and DNS (dnsmasq) on kv-broken');
    expect(undone[0]).toBe('Create the bridge kv-broken');
    expect(planned).toBe(9);
    expect(await page.locator('[data-run-result]').textContent()).toContain('the computer is as it was');
    await shot('wizard-4-failed');
    await settleLinks(lab!);
    expect(await readHostState(lab!)).toEqual(unchanged);
    await lab!.sh('sh', ['-c', 'kill "$(cat /run/foreign-dnsmasq.pid)"']);
  });

  it('looks right in the dark', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${transport!.url}#/networks`);
    await page.getByRole('link', { name: 'New network' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), { timeout: CHECK_TIMEOUT_MS }).toBe('dark');
    await shot('wizard-1-mode-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows the bridged mode with the uplink\'s addressing, and its plan: runtime only on a laptop without NetworkManager', async () => {
    await page.goto(`${transport!.url}#/networks`);
    await page.getByRole('link', { name: 'New network' }).click();
    await page.getByRole('radio', { name: /^Bridged to LAN/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    const eth0 = page.locator('[data-uplink="eth0"]');
    await eth0.waitFor();
    expect(await eth0.textContent()).toContain('192.168.50.2/24');
    expect(await eth0.textContent()).toContain('Gateway 192.168.50.1');
    await eth0.click();
    await shot('wizard-bridged-uplink');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('[data-bridged-persistence]').waitFor();
    expect(await page.locator('[data-bridged-persistence]').getAttribute('data-persistence')).toBe('runtime');
    expect(await page.getByRole('button', { name: 'Create network' }).isDisabled()).toBe(false);
    await shot('wizard-bridged-review');
  });

  it.each([
    ['vi', 'Tiếng Việt', 'Mạng mới'],
    ['zh-CN', '简体中文', '新建网络'],
  ] as const)('shows every wizard step in %s, with no English left', async (code, language, title) => {
    await page.goto(`${transport!.url}#/settings`);
    await page.locator('[data-setting="language"]').selectOption({ label: language });
    await page.goto(`${transport!.url}#/networks/new`);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: CHECK_TIMEOUT_MS }).toBe(title);
    const english = englishFragments(code);
    const leftovers = async () => {
      const text = await visibleText();
      return english.filter((fragment) => text.includes(fragment));
    };
    expect(await leftovers()).toEqual([]);
    await shot(`wizard-1-mode-${code}`);

    await page.locator('button[data-action="next"]').click();
    await page.locator('[data-field="name"] input').fill('lab2');
    await page.locator('button[data-action="advanced"]').click();
    await expect.poll(() => page.locator('[data-field="subnet"] input').getAttribute('placeholder'), { timeout: CHECK_TIMEOUT_MS }).toMatch(/\/24$/);
    await expect.poll(() => page.locator('[data-check-status]').getAttribute('data-check-state'), { timeout: CHECK_TIMEOUT_MS }).toBe('valid');
    expect(await leftovers()).toEqual([]);
    await shot(`wizard-2-settings-${code}`);

    await page.locator('button[data-action="next"]').click();
    await page.locator('[data-plan-steps]').waitFor();
    expect(await leftovers()).toEqual([]);
    await shot(`wizard-3-review-${code}`);
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
