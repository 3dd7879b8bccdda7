// Drives the built KVMNet app with Playwright's Electron support and prints one JSON line of
// what it saw. It runs INSIDE a lab (see electron-app.test.ts): the app observes the lab's network,
// not the machine's, and Playwright reaches the app's debugging ports on the lab's loopback.
// argv: <electron binary> <app dir>
import { _electron } from 'playwright-core';

const [electronPath, appDir] = process.argv.slice(2);
// Chromium refuses to start as root with its sandbox on; the lab runs as root
const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
const app = await _electron.launch({ executablePath: electronPath, args: [...rootOnly, appDir], cwd: appDir, timeout: 60_000 });
try {
  const page = await app.firstWindow();
  await page.locator('[data-status="hostname"]').waitFor({ timeout: 30_000 });
  // the diagram is laid out by ELK in a web worker loaded from file://: it appears only if the CSP and Electron allow that worker
  await page.locator('.vue-flow__edge[data-id="port:link:kvtap0→link:kvbr0"]').waitFor({ state: 'attached', timeout: 30_000 }).catch(() => undefined);
  const renderer = await page.evaluate(async () => ({
    title: document.title,
    bridgeKeys: Object.keys(window.kvmnet).sort(),
    bridgeFrozen: Object.isFrozen(window.kvmnet),
    nodeInPage: typeof globalThis.require !== 'undefined' || typeof globalThis.process !== 'undefined',
    info: await window.kvmnet.invoke('app:info'),
    testTransportBadge: document.querySelectorAll('[data-status="transport"]').length,
    hostError: document.querySelector('[data-error-code="host"]')?.textContent ?? null,
    diagramNodes: [...document.querySelectorAll('.vue-flow__node')].map((n) => n.getAttribute('data-id')).sort(),
  }));
  const main = await app.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    const prefs = windows[0]?.webContents.getLastWebPreferences();
    return { windows: windows.length, sandbox: prefs?.sandbox, contextIsolation: prefs?.contextIsolation, nodeIntegration: prefs?.nodeIntegration };
  });
  const before = page.url();
  await page.evaluate(() => {
    window.location.href = 'file:///etc/passwd';
  });
  await page.waitForTimeout(500);
  console.log(JSON.stringify({ renderer, main, navigation: { before, after: page.url() } }));
} finally {
  await app.close();
}
