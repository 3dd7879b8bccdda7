import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { KvmnetBridge } from '../../main/ipc/channels';
import { guestUnavailableReason, startGuest, type Guest } from '../lab/guest';
import { readHostState } from '../lab/host-state';
import { labUnavailableReason, type Lab } from '../lab/lab';
import { addLaptopLan, settleLinks } from '../lab/laptop-lan';
import { SCREENSHOTS, startAppInLab, type AppInLab } from './app-in-lab';
import type { Transport } from './transport/start-transport';

const skip = labUnavailableReason();
if (skip) console.log(`skipped guests E2E: ${skip}`);
const noGuest = skip ?? (await guestUnavailableReason());
if (noGuest && !skip) console.log(`skipped the guest-boot case of the guests E2E: ${noGuest}`);

const APPLY_TIMEOUT_MS = 60_000;
/** TCG guests boot in 6-10 s when idle, slower under load */
const GUEST_TIMEOUT_MS = 120_000;
/** the desktop user the app runs as; a uid no account has, so ip prints it as a number */
const DESKTOP_UID = 54321;
const NETWORK = 'guestnat';
const BRIDGE = `kv-${NETWORK}`;
const TAP = `kvt-${NETWORK}-0`;

interface IpLink { ifname: string; master?: string; linkinfo?: { info_kind?: string; info_data?: { type?: string; user?: number | string } } }
interface NftRule { rule?: { chain: string; expr: unknown[] } }

describe.skipIf(skip)('Guests on a network in Chromium, against the real handlers and a helper in a lab', () => {
  let lab: Lab | undefined;
  let transport: Transport | undefined;
  let app: AppInLab | undefined;
  let page: Page;
  let problems: string[] = [];

  const links = async (): Promise<IpLink[]> => JSON.parse(await lab!.sh('ip', ['-j', '-d', 'link', 'show'])) as IpLink[];
  const kvmnetRules = async (): Promise<NftRule[]> => {
    const ruleset = JSON.parse(await lab!.sh('nft', ['-j', 'list', 'table', 'inet', 'kvmnet'])) as { nftables: NftRule[] };
    return ruleset.nftables.filter((e) => e.rule !== undefined);
  };
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  /** scrolls the app's content pane (not the window, which holds the sidebar and status bar) to a card */
  const scrollTo = (selector: string) => page.locator('#main').evaluate((main, sel) => {
    const card = main.querySelector(sel);
    if (card) main.scrollTop += card.getBoundingClientRect().top - main.getBoundingClientRect().top - 16;
  }, selector);

  beforeAll(async () => {
    app = await startAppInLab({ prepare: addLaptopLan, env: { KVMNET_E2E_DESKTOP_UID: String(DESKTOP_UID) } });
    ({ lab, transport, page, problems } = app);
  });

  afterAll(() => app?.close());

  it('attaches a guest through a TAP the desktop user owns, reserves its address and forwards a port to it; removing them leaves the lab as it was', async () => {
    await page.goto(`${transport!.url}#/networks`);
    // the list's view (a lazily loaded chunk and its CSS) must have loaded before the page moves on:
    // leaving while its stylesheet loads aborts the load, which the page reports as an error
    await page.locator('[data-action="new-network"]').waitFor();
    // the network itself is the wizard's (networks.test.ts); here it is made through the same bridge the page uses
    const created = await page.evaluate(
      (name) => (globalThis as unknown as { kvmnet: KvmnetBridge }).kvmnet.invoke('networks:create', { runId: 'e2e-create', draft: { name, kind: 'nat', backend: 'direct' } }),
      NETWORK,
    );
    expect(created).toMatchObject({ ok: true, value: { status: 'done' } });
    await settleLinks(lab!);
    const before = await readHostState(lab!);

    await page.goto(`${transport!.url}#/networks/${NETWORK}`);
    await page.locator('[data-detail-state][data-state="active"]').waitFor();
    const subnet = (await page.locator('[data-config="subnet"]').textContent())!;
    const guestIp = subnet.replace(/0\/24$/, '50');
    await page.locator('[data-forwards-empty]').waitFor();
    await page.locator('[data-taps-empty]').waitFor();

    // the dialog, by keyboard: it opens with the focus on the NIC model
    await page.getByRole('button', { name: 'Attach a VM…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Attach a virtual machine to “${NETWORK}”` });
    await dialog.waitFor();
    expect(await page.locator(':focus').getAttribute('data-field-input')).toBe('model');
    await page.keyboard.press('ArrowDown');
    expect(await dialog.locator('select').inputValue()).toBe('e1000e');
    await dialog.locator('[data-output="qemu"] [data-action="create-tap"]').waitFor();
    expect(await dialog.locator('[data-output="qemu"]').textContent()).toContain(`KVMNet creates ${TAP} on the bridge`);
    await dialog.locator('[data-action="create-tap"]').click();
    await dialog.locator('[data-created-tap]').waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await dialog.locator('[data-created-tap]').getAttribute('data-tap')).toBe(TAP);
    const args = await dialog.locator('[data-output="qemu"] figure pre').first().textContent();
    expect(args).toMatch(new RegExp(`^-netdev tap,id=${TAP},ifname=${TAP},script=no,downscript=no \\\\\n-device e1000e,netdev=${TAP},mac=52:54:00(:[0-9a-f]{2}){3}$`));
    await shot('attach-dialog');

    // the tap: a persistent one the desktop user may open, on the network's bridge
    const tap = (await links()).find((l) => l.ifname === TAP);
    expect(tap?.linkinfo?.info_kind).toBe('tun');
    expect(tap?.linkinfo?.info_data?.type).toBe('tap');
    expect(tap?.linkinfo?.info_data?.user).toBe(DESKTOP_UID);
    expect(tap?.master).toBe(BRIDGE);

    // the other outputs, for the same MAC
    const mac = /mac=(\S+)$/.exec(args!)![1]!;
    await dialog.locator('[data-tab="virtInstall"]').click();
    expect(await dialog.locator('[data-output="virtInstall"] pre').textContent()).toBe(`--network bridge=${BRIDGE},model=e1000e,mac=${mac}`);
    await dialog.locator('[data-tab="qemuIfdown"]').click();
    expect(await dialog.locator('[data-output="qemuIfdown"] pre').textContent()).toContain(`bridge='${BRIDGE}'`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`[data-tap-row="${TAP}"]`).waitFor();
    expect(await page.locator(`[data-tap-row="${TAP}"]`).textContent()).toContain(`uid ${DESKTOP_UID}`);

    // a reservation for the guest's MAC keeps its address; dnsmasq's hosts file has it. It is released
    // before the forward is made: the saved copies of the spec (dnsmasq's spec.json, nftables-networks.json)
    // take the other list along when one changes, so overlapping changes would leave a copy that differs
    const reservations = page.locator('[data-reservation-form]');
    await reservations.locator('[data-field="mac"] input').fill(mac.toUpperCase());
    await reservations.locator('[data-field="ip"] input').fill(guestIp);
    await reservations.locator('[data-field="name"] input').fill('web');
    await reservations.getByRole('button', { name: 'Reserve' }).click();
    await page.locator(`[data-reservation="${mac}"]`).waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await lab!.sh('cat', [`/run/kvmnet/dnsmasq/${NETWORK}.hosts`])).toContain(`${mac},${guestIp},web`);
    await scrollTo('[data-reservations]');
    await shot('network-reservations');
    await page.getByRole('button', { name: `Release the address ${guestIp}` }).click();
    await page.locator('[data-reservations-empty]').waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect(await lab!.sh('cat', [`/run/kvmnet/dnsmasq/${NETWORK}.hosts`])).not.toContain(mac);

    // a port forward: a mistake is named in the field first, then the good one lands in nftables
    const form = page.locator('[data-forward-form]');
    await form.locator('[data-field="hostPort"] input').fill('8080');
    await form.locator('[data-field="to"] input').fill('10.255.255.50:80');
    await form.getByRole('button', { name: 'Add forward' }).click();
    await expect.poll(() => form.locator('[data-field="to"] [data-field-error]').textContent(), { timeout: APPLY_TIMEOUT_MS }).toMatch(new RegExp(`^10\\.255\\.255\\.50 is outside the network ${NETWORK} \\(${subnet.replace(/\./g, '\\.')}\\)\\. Give the address of a VM in `));
    expect((await kvmnetRules()).some((r) => JSON.stringify(r).includes('"dnat":{'))).toBe(false);
    await form.locator('[data-field="to"] input').fill(`${guestIp}:80`);
    await form.getByRole('button', { name: 'Add forward' }).click();
    await page.locator('[data-forward="tcp-*-8080"]').waitFor({ timeout: APPLY_TIMEOUT_MS });
    const dnat = (await kvmnetRules()).filter((r) => JSON.stringify(r).includes('"dnat":{')).map((r) => JSON.stringify(r));
    expect(dnat.length).toBe(2);
    for (const rule of dnat) expect(rule).toMatch(new RegExp(`"right":8080.*"dnat":\\{[^}]*"addr":"${guestIp.replace(/\./g, '\\.')}","port":80`));
    expect(await page.locator('[data-forward-added]').textContent()).toContain(`${guestIp} is not reserved, and a DHCP address can pass to another VM`);

    await scrollTo('[data-guests]');
    await shot('network-guests');
    await scrollTo('[data-forwards]');
    await shot('network-forwards');

    // remove the forward and the tap, from the page
    await page.getByRole('button', { name: 'Remove the forward of TCP port 8080' }).click();
    await page.locator('[data-forwards-empty]').waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect((await kvmnetRules()).some((r) => JSON.stringify(r).includes('"dnat":{'))).toBe(false);
    await page.getByRole('button', { name: `Remove the TAP device ${TAP}` }).click();
    await page.locator('[data-taps-empty]').waitFor({ timeout: APPLY_TIMEOUT_MS });
    expect((await links()).some((l) => l.ifname === TAP)).toBe(false);

    await settleLinks(lab!);
    expect(await readHostState(lab!)).toEqual(before);
    expect(problems).toEqual([]);
  }, 240_000);

  it.skipIf(noGuest)('a guest started as the desktop user with exactly the dialog\'s QEMU options gets a lease, and the Leases table shows it', async () => {
    let guest: Guest | undefined;
    try {
      await page.goto(`${transport!.url}#/networks/${NETWORK}`);
      await page.locator('[data-leases-empty]').waitFor();
      await page.getByRole('button', { name: 'Attach a VM…' }).click();
      const dialog = page.getByRole('dialog', { name: `Attach a virtual machine to “${NETWORK}”` });
      // the test guest's initramfs has the virtio and e1000 drivers
      await dialog.locator('select').selectOption('virtio');
      await dialog.locator('[data-action="create-tap"]').click();
      await dialog.locator('[data-created-tap]').waitFor({ timeout: APPLY_TIMEOUT_MS });
      // the text a user copies: "-opt value" pairs, continued with a backslash
      const copied = (await dialog.locator('[data-output="qemu"] figure pre').first().textContent())!;
      const argv = copied.replace(/ \\\n/g, ' ').split(' ');
      const mac = /mac=(\S+)$/.exec(copied)![1]!;
      await page.keyboard.press('Escape');

      guest = await startGuest(lab!, { netArgs: argv, asUser: DESKTOP_UID, behaviour: { waitSeconds: 30 }, timeoutMs: GUEST_TIMEOUT_MS });
      const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
      expect(lease.kind, guest.transcript()).toBe('LEASE');
      const ip = (lease as { ip: string }).ip;
      // main pushes the host's changes (the tap's carrier); the page reads the guests again
      await expect.poll(() => page.locator(`[data-lease="${ip}"]`).count(), { timeout: 30_000 }).toBe(1);
      expect(await page.locator(`[data-lease="${ip}"]`).textContent()).toContain(mac);
      await scrollTo('[data-guests]');
      await shot('network-leases');
      await guest.exited;
    } finally {
      await guest?.close();
    }
    await page.getByRole('button', { name: `Remove the TAP device ${TAP}` }).click();
    await page.locator('[data-taps-empty]').waitFor({ timeout: APPLY_TIMEOUT_MS });
  }, 300_000);
});
