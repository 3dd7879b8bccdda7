import { describe, expect, it } from 'vitest';
import { explainVirshFailure } from '../../../main/host/virsh-failure';
import { hostFixture } from '../../fixtures/host/fixture';

describe('explainVirshFailure', () => {
  it('says libvirtd is not running when its socket is missing (real virsh output)', () => {
    expect(explainVirshFailure({ stderr: hostFixture('libvirt/no-libvirtd-stderr.txt') }, 2000)).toBe(
      'libvirtd is not running (no socket at /var/run/libvirt/libvirt-sock)',
    );
  });

  it('says which package brings virsh when it is missing', () => {
    expect(explainVirshFailure({ code: 'ENOENT' }, 2000)).toMatch(/virsh is not installed \(package libvirt-clients/);
  });

  it('says libvirtd did not answer in time', () => {
    expect(explainVirshFailure({ timedOut: true }, 2000)).toBe('libvirtd did not answer within 2 s');
  });

  it('tells refused connections and missing permission apart', () => {
    expect(explainVirshFailure({ stderr: "error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused" }, 2000)).toBe(
      'libvirtd is not running (connection refused)',
    );
    expect(explainVirshFailure({ stderr: "error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied" }, 2000)).toMatch(
      /add your user to the libvirt group/,
    );
  });

  it('passes on the last error line of anything else', () => {
    expect(explainVirshFailure({ stderr: 'error: failed to connect to the hypervisor\nerror: something new\n' }, 2000)).toBe('libvirt did not answer: something new');
    expect(explainVirshFailure({}, 2000)).toBe('libvirt did not answer');
  });
});
