import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../lab/lab';

const root = resolve('.');
const electronDir = join(root, 'node_modules/electron');

function electronBinary(): string | undefined {
  const relative = existsSync(join(electronDir, 'path.txt')) ? readFileSync(join(electronDir, 'path.txt'), 'utf8').trim() : undefined;
  const binary = relative ? join(electronDir, 'dist', relative) : undefined;
  return binary && existsSync(binary) ? binary : undefined;
}

function skipReason(): string | undefined {
  if (!electronBinary()) return 'Electron binary not installed (node_modules/electron/dist missing; ELECTRON_SKIP_BINARY_DOWNLOAD)';
  if (!existsSync(join(root, 'out/main/index.js'))) return 'the app is not built (out/main/index.js missing): run npm run build';
  return labUnavailableReason();
}

const skip = skipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(skip)('the built Electron app, inside a lab', () => {
  let lab: Lab;
  let seen: {
    renderer: { title: string; bridgeKeys: string[]; bridgeFrozen: boolean; nodeInPage: boolean; info: unknown; testTransportBadge: number; hostError: string | null; diagramNodes: string[] };
    main: { windows: number; sandbox: boolean; contextIsolation: boolean; nodeIntegration: boolean };
    navigation: { before: string; after: string };
  };

  beforeAll(async () => {
    lab = await startLab();
    await lab.sh('ip', ['-batch', '-'], { input: 'link add kvbr0 type bridge\ntuntap add dev kvtap0 mode tap\nlink set kvtap0 master kvbr0\n' });
    const run = await lab.run('xvfb-run', ['-a', process.execPath, join(root, 'tests/e2e/electron-app-driver.mjs'), electronBinary()!, root], { timeout: 150_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`the Electron driver printed no result (exit ${run.exitCode}): ${run.stderr}`);
    seen = JSON.parse(line);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('renders the Overview with the host read through the real IPC handlers', () => {
    expect(seen.renderer.title).toBe('KVMNet');
    expect(seen.renderer.hostError).toBeNull();
    // drawn means the layout worker ran: loaded from file:// under the app's CSP
    expect(seen.renderer.diagramNodes).toEqual(['link:kvbr0', 'link:kvtap0']);
    expect(seen.renderer.testTransportBadge).toBe(0);
    expect(seen.renderer.info).toMatchObject({ ok: true, value: { name: 'KVMNet', transport: 'electron' } });
  });

  it('gives the page one frozen window.kvmnet and no Node', () => {
    expect(seen.renderer.bridgeKeys).toEqual(['invoke', 'on']);
    expect(seen.renderer.bridgeFrozen).toBe(true);
    expect(seen.renderer.nodeInPage).toBe(false);
  });

  it('runs one sandboxed, context-isolated window that cannot navigate away', () => {
    expect(seen.main).toEqual({ windows: 1, sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(seen.navigation.after).toBe(seen.navigation.before);
  });
});
