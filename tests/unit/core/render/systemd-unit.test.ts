import { describe, expect, it } from 'vitest';
import { renderLibvirtForwardsUnit, renderRestoreUnit } from '../../../../main/core/render/systemd-unit';

/** the unit's [Section] key=value pairs, as systemd reads them */
function parseUnit(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) sections[section[1]!] = current = {};
    else if (/^\w+=/.test(line)) current![line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return sections;
}

describe('renderRestoreUnit', () => {
  it('runs the installed helper once at boot, stays active, and is wanted by multi-user.target', () => {
    const unit = parseUnit(renderRestoreUnit());
    expect(unit.Service).toEqual({ Type: 'oneshot', ExecStart: '/usr/libexec/kvmnet/kvmnet-helper --restore', RemainAfterExit: 'yes' });
    expect(unit.Install).toEqual({ WantedBy: 'multi-user.target' });
  });

  it('runs after modules and any firewall that flushes the ruleset, and before libvirt and its guests', () => {
    const { Unit } = parseUnit(renderRestoreUnit());
    expect(Unit!.After!.split(' ')).toEqual(expect.arrayContaining(['systemd-modules-load.service', 'nftables.service', 'firewalld.service']));
    expect(Unit!.Before!.split(' ')).toEqual(expect.arrayContaining(['network.target', 'libvirtd.service', 'libvirt-guests.service']));
  });

  it('takes another helper path, but never one that could break the ExecStart line', () => {
    expect(parseUnit(renderRestoreUnit('/opt/KVMNet/resources/kvmnet-helper')).Service!.ExecStart).toBe('/opt/KVMNet/resources/kvmnet-helper --restore');
    expect(() => renderRestoreUnit('/opt/kvm net/helper')).toThrow();
    expect(() => renderRestoreUnit('/usr/bin/helper\nExecStartPre=/bin/sh')).toThrow();
    expect(() => renderRestoreUnit('helper')).toThrow();
  });
});

describe('renderLibvirtForwardsUnit', () => {
  it('runs the helper once after libvirt (monolithic or modular) and any firewall that flushes, wanted by multi-user.target', () => {
    const unit = parseUnit(renderLibvirtForwardsUnit());
    expect(unit.Service).toEqual({ Type: 'oneshot', ExecStart: '/usr/libexec/kvmnet/kvmnet-helper --restore-libvirt-forwards', RemainAfterExit: 'yes' });
    expect(unit.Unit!.After!.split(' ')).toEqual(expect.arrayContaining(['libvirtd.service', 'virtnetworkd.service', 'nftables.service', 'firewalld.service']));
    expect(unit.Unit!.Before).toBeUndefined();
    expect(unit.Install).toEqual({ WantedBy: 'multi-user.target' });
    expect(() => renderLibvirtForwardsUnit('/tmp/x --evil')).toThrow(/cannot go on an ExecStart line/);
  });
});
