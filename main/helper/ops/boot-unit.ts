import { FORWARDS_UNIT_PATH, FORWARDS_WANTS_PATH, SYSTEMD_UNIT_PATH, SYSTEMD_WANTS_PATH } from '../../core/paths';
import { renderLibvirtForwardsUnit, renderRestoreUnit } from '../../core/render/systemd-unit';
import type { HostIo } from '../host-io';
import type { Undo } from '../undo';
import type { HostOp, StepOf } from './op';

/** one of KVMNet's boot units: where it lives, the symlink that enables it, and its text */
interface BootUnitFiles {
  readonly path: string;
  readonly wants: typeof SYSTEMD_WANTS_PATH | typeof FORWARDS_WANTS_PATH;
  render(): string;
}

async function wantsLink(io: HostIo, wants: string): Promise<string | null> {
  const at = await io.readLinkAt(wants);
  if (at.kind === 'other') throw new Error(`${wants} exists and is not a symlink; KVMNet leaves it alone`);
  return at.kind === 'symlink' ? at.target : null;
}

/**
 * Installs and enables (or disables and removes) a boot unit. Enabling is what `systemctl enable`
 * does for WantedBy=multi-user.target: a symlink in multi-user.target.wants. systemctl is not
 * called: the unit matters at the next boot, when systemd reads it anyway, and a daemon-reload
 * from here would reach whatever systemd owns /run.
 */
function bootUnitOp<K extends 'boot.unit' | 'boot.forwardsUnit'>(unit: BootUnitFiles): HostOp<K> {
  const undos = async (io: HostIo): Promise<Undo[]> => {
    const target = await wantsLink(io, unit.wants);
    return [
      { ensure: 'file', path: unit.path, content: (await io.readText(unit.path)) ?? null },
      { ensure: 'symlink', path: unit.wants, target },
    ];
  };
  return {
    check: () => undefined,
    simulate: (_step, state) => state,

    inverse: (_step, io) => undos(io),

    async run(step, io) {
      const target = await wantsLink(io, unit.wants);
      if ((step as StepOf<'boot.unit' | 'boot.forwardsUnit'>).enabled) {
        await io.writeTextAtomic(unit.path, unit.render(), 0o644);
        if (target !== unit.path) await io.writeSymlink(unit.wants, unit.path);
        return 'enabled';
      }
      if (target !== null) await io.removeFile(unit.wants);
      await io.removeFile(unit.path);
      return 'disabled';
    },
  };
}

/** the unit that restores direct networks at boot */
export const bootUnit = bootUnitOp<'boot.unit'>({ path: SYSTEMD_UNIT_PATH, wants: SYSTEMD_WANTS_PATH, render: () => renderRestoreUnit() });

/** the unit that puts back the port forwards of KVMNet's libvirt networks at boot, after libvirtd */
export const bootForwardsUnit = bootUnitOp<'boot.forwardsUnit'>({ path: FORWARDS_UNIT_PATH, wants: FORWARDS_WANTS_PATH, render: () => renderLibvirtForwardsUnit() });
