import { mkdir, rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { launchChromiumInLab } from '../lab/chromium';
import { startLab, type Lab } from '../lab/lab';
import { openAppPage } from './app-page';
import { buildTransport, type TransportBuild } from './transport/build-transport';
import { startTransport, type Transport } from './transport/start-transport';

/** where the E2E specs leave their screenshots (CI keeps test-results/) */
export const SCREENSHOTS = 'test-results/screenshots';

export interface AppInLab {
  readonly lab: Lab;
  readonly transport: Transport;
  /** the bundles the transport serves; the renderer's "export as script" writes below its dir */
  readonly built: TransportBuild;
  readonly page: Page;
  /** script errors, console errors and failed loads seen so far: every spec ends with it empty */
  readonly problems: string[];
  /** ends the browser, the transport and the lab (and everything still running in it) */
  close(): Promise<void>;
}

export interface AppInLabOptions {
  /** what the lab holds before the app starts: links, a LAN router, NetworkManager, libvirtd */
  prepare?(lab: Lab): Promise<void>;
  /** the transport server's extra environment (KVMNET_E2E_DESKTOP_UID: see transport/server.ts) */
  env?: Record<string, string>;
  pageTimeoutMs?: number;
  viewport?: { width: number; height: number };
}

/**
 * The app as a user sees it, in Debian's Chromium inside a fresh lab, talking through the test
 * transport to the real main-process handlers and helper. The bundles build while the lab starts.
 * Whatever part did start is ended again when a later one fails, so a spec's afterAll needs only
 * `app?.close()`.
 */
export async function startAppInLab(options: AppInLabOptions = {}): Promise<AppInLab> {
  const building = buildTransport();
  building.catch(() => undefined); // reported where it is awaited
  let lab: Lab | undefined;
  let built: TransportBuild | undefined;
  let browser: Browser | undefined;
  let transport: Transport | undefined;
  const close = async () => {
    try {
      await browser?.close();
      await transport?.close();
    } finally {
      await lab?.close();
      const bundles = built ?? (await building.catch(() => undefined));
      if (bundles) await rm(bundles.dir, { recursive: true, force: true });
    }
  };
  try {
    lab = await startLab();
    await options.prepare?.(lab);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromiumInLab(lab);
    built = await building;
    transport = await startTransport(lab, built, options.env);
    const { page, problems } = await openAppPage(browser, built.shim, options.viewport);
    page.setDefaultTimeout(options.pageTimeoutMs ?? 15_000);
    return { lab, transport, built, page, problems, close };
  } catch (e) {
    await close();
    throw e;
  }
}
