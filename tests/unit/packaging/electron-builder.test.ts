import { access, constants, readFile, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { PKEXEC_LAUNCHER_PATH, POLKIT_POLICY_PATH } from '../../../main/privilege/helper-location';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const at = (path: string) => join(root, path);

/** fpm's "source=destination" pairs, as a map destination -> source */
function fpmFiles(fpm: readonly string[] | null | undefined): Map<string, string> {
  return new Map((fpm ?? []).filter((a) => !a.startsWith('-')).map((a) => a.split('=') as [string, string]).map(([src, dest]) => [dest, src]));
}

let config: Configuration;
beforeAll(async () => {
  config = await getConfig(root, 'electron-builder.yml', null);
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and its Linux targets', () => {
    expect(config).toMatchObject({ appId: 'io.kvmnet.app', productName: 'KVMNet', executableName: 'kvmnet' });
    expect(config.linux?.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.linux?.category).toBe('System;Network');
  });

  it('packs out/ into the asar without the node bundles, and ships the helper outside it', () => {
    // electron-builder normalises the list into one file set
    expect(config.files).toEqual([{ filter: expect.arrayContaining(['out/**', '!out/node/**']) }]);
    expect(config.extraResources).toEqual([{ from: 'out/node/kvmnet-helper.cjs', to: 'helper/kvmnet-helper.cjs' }]);
  });

  it('keeps runAsNode for the helper, and closes NODE_OPTIONS and --inspect', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it.each(['deb', 'rpm'] as const)('%s installs the launcher and the polkit policy at the paths the app uses', async (target) => {
    const files = fpmFiles(config[target]?.fpm);
    expect(files.get(PKEXEC_LAUNCHER_PATH)).toBe('resources/linux/kvmnet-helper');
    expect(files.get(POLKIT_POLICY_PATH)).toBe('resources/linux/io.kvmnet.helper.policy');
    for (const source of files.values()) await expect(access(at(source))).resolves.toBeUndefined();
  });

  it('has an icon set from 16 to 512 px, each a PNG of its stated size', async () => {
    const dir = config.linux?.icon as string;
    const names = (await readdir(at(dir))).sort();
    const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
    expect(names).toEqual(sizes.map((s) => `${s}x${s}.png`).sort());
    for (const size of sizes) {
      const png = await readFile(at(join(dir, `${size}x${size}.png`)));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    await expect(access(at('resources/icons/kvmnet.svg'))).resolves.toBeUndefined();
  });
});

describe('resources/linux/kvmnet-helper (the pkexec launcher)', () => {
  it('is executable by everyone and writable by its owner only', async () => {
    expect((await stat(at('resources/linux/kvmnet-helper'))).mode & 0o777).toBe(0o755);
  });

  it('runs the packaged binary on the helper bundle where electron-builder installs them', async () => {
    const script = await readFile(at('resources/linux/kvmnet-helper'), 'utf8');
    const appDir = `/opt/${config.productName}`;
    expect(script).toContain(`APP_DIR=${appDir}\n`);
    expect(script).toContain(`"$APP_DIR/${config.executableName}" "$APP_DIR/resources/helper/kvmnet-helper.cjs"`);
    expect(script).toMatch(/env -i .*ELECTRON_RUN_AS_NODE=1/);
  });

  it.each([[['--inspect']], [['--restore', '--inspect']], [['--restore-libvirt-forwards', '--restore']], [['-e', 'process.exit()']]])('refuses arguments other than --restore or --restore-libvirt-forwards: %j', async (args) => {
    const run = await execa('sh', [at('resources/linux/kvmnet-helper'), ...args], { reject: false });
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('usage: kvmnet-helper [--restore | --restore-libvirt-forwards]');
  });
});

describe('resources/linux/io.kvmnet.helper.policy', () => {
  const read = () => readFile(at('resources/linux/io.kvmnet.helper.policy'), 'utf8');

  it('is well-formed XML describing the io.kvmnet.helper action for the launcher', async () => {
    const xml = await read();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['description', 'message', 'annotate', 'action'].includes(name) }).parse(xml);
    const [action] = doc.policyconfig.action;
    expect(action['@id']).toBe('io.kvmnet.helper');
    expect(POLKIT_POLICY_PATH.endsWith(`/${action['@id']}.policy`)).toBe(true);
    expect(action.defaults).toEqual({ allow_any: 'auth_admin', allow_inactive: 'auth_admin', allow_active: 'auth_admin_keep' });
    const annotations = Object.fromEntries(action.annotate.map((a: Record<string, string>) => [a['@key'], a['#text']]));
    expect(annotations).toEqual({ 'org.freedesktop.policykit.exec.path': PKEXEC_LAUNCHER_PATH });
    const languages = (items: (string | Record<string, string>)[]) => items.map((m) => (typeof m === 'string' ? 'en' : m['@xml:lang'] ?? 'en'));
    expect(languages(action.message)).toEqual(['en', 'vi', 'zh_CN']);
    expect(languages(action.description)).toEqual(['en', 'vi', 'zh_CN']);
  });

  const dtd = '/usr/share/polkit-1/policyconfig-1.dtd';
  const xmllintMissing = async () => {
    const found = await execa('xmllint', ['--version'], { reject: false });
    if (found.exitCode !== 0) return 'xmllint is not installed (Debian package libxml2-utils)';
    return access(dtd, constants.R_OK).then(() => undefined, () => `${dtd} is missing (Debian package polkitd)`);
  };

  it("is valid against polkit's own DTD", async (ctx) => {
    const missing = await xmllintMissing();
    if (missing) {
      console.log(`skipped polkit DTD validation: ${missing}`);
      ctx.skip();
    }
    const run = await execa('xmllint', ['--noout', '--dtdvalid', dtd, at('resources/linux/io.kvmnet.helper.policy')], { reject: false });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
  });
});
