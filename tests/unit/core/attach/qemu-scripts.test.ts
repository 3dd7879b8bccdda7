import { describe, expect, it } from 'vitest';
import { qemuScriptName } from '../../../../main/core/attach/qemu-if-script';
import { renderQemuIfdownScript } from '../../../../main/core/attach/qemu-ifdown-script';
import { renderQemuIfupScript } from '../../../../main/core/attach/qemu-ifup-script';
import { thrownMessages } from './thrown-messages';

const lab = { network: 'lab', bridge: 'kv-lab' };

describe('qemu-ifup and qemu-ifdown scripts', () => {
  it('are named per network', () => {
    expect(qemuScriptName('ifup', 'lab')).toBe('qemu-ifup-lab');
    expect(qemuScriptName('ifdown', 'dev-nat')).toBe('qemu-ifdown-dev-nat');
  });

  it.each([
    ['ifup', renderQemuIfupScript],
    ['ifdown', renderQemuIfdownScript],
  ] as const)('%s: bash in strict mode, the bridge baked in and quoted, the argument checked first', (kind, render) => {
    const script = render(lab);
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines).toContain('set -euo pipefail');
    expect(lines).toContain("bridge='kv-lab'");
    const check = lines.indexOf('if [[ "$#" -lt 1 || -z "$1" ]]; then');
    expect(check).toBeGreaterThan(lines.indexOf("bridge='kv-lab'"));
    expect(lines[check + 1]).toBe(`  echo 'qemu-${kind}-lab: no interface given; QEMU passes the tap'\\''s name as the first argument (to try it by hand: qemu-${kind}-lab TAP)' >&2`);
    expect(lines[check + 2]).toBe('  exit 1');
    expect(lines.findIndex((l) => l.startsWith('ip '))).toBeGreaterThan(check);
    expect(script).not.toContain('brctl');
    expect(script.endsWith('\n')).toBe(true);
  });

  it('ifup enslaves the tap, then brings it up, and says when the bridge is missing', () => {
    const script = renderQemuIfupScript(lab);
    const master = script.indexOf('ip link set dev "$1" master "${bridge}"');
    const up = script.indexOf('ip link set dev "$1" up');
    expect(master).toBeGreaterThan(0);
    expect(up).toBeGreaterThan(master);
    expect(script).toContain('if [[ ! -d "/sys/class/net/${bridge}/bridge" ]]; then');
    expect(script).toContain("echo 'qemu-ifup-lab: bridge kv-lab does not exist; start KVMNet network lab first, then start the guest again' >&2");
  });

  it('ifdown releases the tap from this bridge only, then takes it down, and ignores a tap already gone', () => {
    const script = renderQemuIfdownScript(lab);
    expect(script).toContain('if [[ ! -e "/sys/class/net/$1" ]]; then\n  exit 0\nfi');
    expect(script).toContain('if [[ "${master##*/}" == "${bridge}" ]]; then\n  ip link set dev "$1" nomaster\nfi\nip link set dev "$1" down\n');
  });

  it.each([
    [{ network: 'lab', bridge: "kv'lab" }, /interface name may use only/],
    [{ network: 'lab', bridge: 'a-very-long-bridge-name' }, /longer than 15 bytes/],
    [{ network: 'lab;reboot', bridge: 'kv-lab' }, /network name may use only/],
    [{ network: 'lab' }, /expected string, received undefined/],
  ])('refuse %j', (input, message) => {
    expect(thrownMessages(() => renderQemuIfupScript(input as never))).toMatch(message);
    expect(thrownMessages(() => renderQemuIfdownScript(input as never))).toMatch(message);
  });
});
