import type { Browser, Page } from 'playwright-core';

/**
 * A page of the app in Chromium with window.kvmnet provided by the test transport's shim, and a
 * list that collects what must not happen: script errors, console errors and failed loads.
 */
export async function openAppPage(browser: Browser, shim: string, viewport = { width: 1280, height: 860 }): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript({ path: shim });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium notes that frame-ancestors is ignored in a <meta> CSP (the app also sends it as a
    // header); failed loads are reported below with their address
    if (m.type() === 'error' && !m.text().includes("'frame-ancestors'") && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    // browsers ask for /favicon.ico on their own; Electron does not
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return { page, problems };
}
