import { describe, expect, it } from 'vitest';
import { explainNmFailure } from '../../../../main/host/network-manager/nm-command';
import { nmFixture } from '../../../fixtures/nm/fixture';

interface Captured { tool: 'nmcli' | 'busctl'; args: string[]; exitCode: number; stderr: string }
const failures = JSON.parse(nmFixture('failures.json')) as Captured[];
const explain = (f: Captured) => explainNmFailure(f.tool, f);

describe('explainNmFailure on captured failures', () => {
  it('tells "not running" apart from "no system bus", for nmcli and busctl alike', () => {
    expect(failures.filter((f) => /not running|not provided by any/.test(f.stderr)).map(explain))
      .toEqual(['NetworkManager is not running', 'NetworkManager is not running']);
    expect(failures.filter((f) => /NMClient|connect to bus/.test(f.stderr)).map(explain))
      .toEqual(['the system D-Bus is not running, so NetworkManager cannot be reached', 'the system D-Bus is not running, so NetworkManager cannot be reached']);
  });

  it('passes NetworkManager’s own refusal on without the tool’s prefix', () => {
    expect(failures.filter((f) => /not found|No device|already included|does not exist/.test(f.stderr)).map(explain)).toEqual([
      "NetworkManager refused: Device 'nosuch0' not found.",
      'NetworkManager refused: No device found for the requested iface.',
      "NetworkManager refused: device 'lo' is already included in checkpoint /org/freedesktop/NetworkManager/Checkpoint/1",
      'NetworkManager refused: checkpoint /org/freedesktop/NetworkManager/Checkpoint/1 does not exist',
    ]);
  });
});

describe('explainNmFailure without output', () => {
  it('names the package when a tool is missing', () => {
    expect(explainNmFailure('nmcli', { code: 'ENOENT' })).toBe('nmcli is not installed (package network-manager)');
    expect(explainNmFailure('busctl', { code: 'ENOENT' })).toBe('busctl is not installed (package systemd)');
  });

  it('says so when NetworkManager hangs', () => {
    expect(explainNmFailure('nmcli', { timedOut: true })).toBe('NetworkManager did not answer in time');
  });
});
