import { SYSTEMD_UNIT_PATH, SYSTEMD_WANTS_PATH } from '../../core/paths';
import { renderRestoreUnit } from '../../core/render/systemd-unit';
import type { HostIo } from '../host-io';
import type { HostOp } from './op';

async function wantsLink(io: HostIo): Promise<string | null> {
  const at = await io.readLinkAt(SYSTEMD_WANTS_PATH);
  if (at.kind === 'other') throw new Error(`${SYSTEMD_WANTS_PATH} exists and is not a symlink; KVMNet leaves it alone`);
  return at.kind === 'symlink' ? at.target : null;
}

/**
 * Installs and enables (or disables and removes) the unit that restores direct networks at boot.
 * Enabling is what `systemctl enable` does for WantedBy=multi-user.target: a symlink in
 * multi-user.target.wants. systemctl is not called: the unit matters at the next boot, when
 * systemd reads it anyway, and a daemon-reload from here would reach whatever systemd owns /run.
 */
export const bootUnit: HostOp<'boot.unit'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(_step, io) {
    const target = await wantsLink(io);
    return [
      { ensure: 'file', path: SYSTEMD_UNIT_PATH, content: (await io.readText(SYSTEMD_UNIT_PATH)) ?? null },
      { ensure: 'symlink', path: SYSTEMD_WANTS_PATH, target },
    ];
  },

  async run(step, io) {
    const target = await wantsLink(io);
    if (step.enabled) {
      await io.writeTextAtomic(SYSTEMD_UNIT_PATH, renderRestoreUnit(), 0o644);
      if (target !== SYSTEMD_UNIT_PATH) await io.writeSymlink(SYSTEMD_WANTS_PATH, SYSTEMD_UNIT_PATH);
      return 'enabled';
    }
    if (target !== null) await io.removeFile(SYSTEMD_WANTS_PATH);
    await io.removeFile(SYSTEMD_UNIT_PATH);
    return 'disabled';
  },
};
