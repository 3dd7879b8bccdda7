import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Lab } from './lab';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/**
 * Debian's Chromium, started inside the lab's network, mount and PID namespaces: it shares the
 * lab's loopback (where the test servers listen) and dies with the lab at the latest. Playwright
 * needs one executable, so a small wrapper script prepends the lab's nsenter prefix; its profile
 * is a fresh temporary directory that Playwright creates and removes.
 */
export async function launchChromiumInLab(lab: Lab): Promise<Browser> {
  // the prefix is nsenter, numeric options and "--": nothing a shell could misread
  if (!lab.enter.every((arg) => /^[\w./=-]+$/.test(arg))) throw new Error(`unexpected lab prefix: ${lab.enter.join(' ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'kvmnet-chromium-'));
  const wrapper = join(dir, 'chromium-in-lab');
  await writeFile(wrapper, `#!/bin/sh\nexec ${lab.enter.join(' ')} ${CHROMIUM_PATH} "$@"\n`);
  await chmod(wrapper, 0o755);
  try {
    const browser = await chromium.launch({ executablePath: wrapper, headless: true, args: FLAGS, timeout: 30_000 });
    browser.on('disconnected', () => void rm(dir, { recursive: true, force: true }));
    return browser;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
