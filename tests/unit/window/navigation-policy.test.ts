import { describe, expect, it } from 'vitest';
import { devServerAppUrl, fileAppUrl, isAppUrl } from '../../../main/window/app-url';
import { navigationVerdict, windowOpenVerdict } from '../../../main/window/navigation-policy';

const app = fileAppUrl('/opt/KVMNet/resources/app.asar/out/renderer/index.html');
const dev = devServerAppUrl('http://localhost:5173');

describe('isAppUrl', () => {
  it.each([
    ['file:///opt/KVMNet/resources/app.asar/out/renderer/index.html', true],
    ['file:///opt/KVMNet/resources/app.asar/out/renderer/index.html#/networks/lab', true],
    ['file:///opt/KVMNet/resources/app.asar/out/renderer/index.html?x=1', true],
    ['file:///opt/KVMNet/resources/app.asar/out/renderer/other.html', false],
    ['file:///etc/passwd', false],
    ['file://remote-host/opt/KVMNet/resources/app.asar/out/renderer/index.html', false],
    ['https://kvmnet.invalid/index.html', false],
    ['not a url', false],
  ])('file app: %s -> %s', (url, expected) => {
    expect(isAppUrl(app, url)).toBe(expected);
  });

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/src/main.ts', true],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    ['file:///opt/KVMNet/resources/app.asar/out/renderer/index.html', false],
  ])('dev server: %s -> %s', (url, expected) => {
    expect(isAppUrl(dev, url)).toBe(expected);
  });

  it('escapes paths with spaces the way Chromium reports them', () => {
    const spaced = fileAppUrl('/home/an/My Apps/out/renderer/index.html');
    expect(isAppUrl(spaced, 'file:///home/an/My%20Apps/out/renderer/index.html')).toBe(true);
  });

  it('refuses a dev server URL that is not http(s), naming the variable', () => {
    expect(() => devServerAppUrl('file:///tmp/x')).toThrow('ELECTRON_RENDERER_URL must be an http(s) URL');
  });
});

describe('navigation verdicts', () => {
  it.each([
    ['file:///opt/KVMNet/resources/app.asar/out/renderer/index.html#/doctor', 'allow'],
    ['https://libvirt.org/formatnetwork.html', 'open-externally'],
    ['http://192.0.2.10/', 'open-externally'],
    ['file:///etc/passwd', 'block'],
    ['javascript:alert(1)', 'block'],
    ['smb://server/share', 'block'],
    ['data:text/html,<h1>x</h1>', 'block'],
  ])('will-navigate to %s: %s', (url, verdict) => {
    expect(navigationVerdict(app, url)).toBe(verdict);
  });

  it('never opens a new window, not even for our own page', () => {
    expect(windowOpenVerdict('file:///opt/KVMNet/resources/app.asar/out/renderer/index.html')).toBe('block');
    expect(windowOpenVerdict('https://libvirt.org/')).toBe('open-externally');
    expect(windowOpenVerdict('mailto:a@b.c')).toBe('block');
  });
});
