import { z } from 'zod';
import { InterfaceName } from '../names';
import { GuestMac } from './mac';
import { NicModel, QEMU_NIC_DEVICE } from './nic-model';
import { commandLine, type CommandLine } from './command-line';

/**
 * The QEMU flags that put a guest NIC on a KVMNet network. Two ways, both from the seeds:
 * - tap: KVMNet made the tap (owned by the user, already on the bridge), so QEMU runs unprivileged
 *   and must run no script (script=no, downscript=no);
 * - script: QEMU (as root) creates the tap and runs KVMNet's qemu-ifup/qemu-ifdown scripts, which
 *   put it on the bridge and take it off again.
 * `-netdev` + `-device` rather than the seeds' `-net nic -net tap`: the old form puts NICs on a hub
 * and cannot set vhost or the device model's own options.
 */

/** QEMU's id rules: a letter, then letters, digits, "-", "." or "_" */
export const QemuNetdevId = z
  .string({ error: 'must be a QEMU id written as text, e.g. net0' })
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/, {
    error: (i) => `"${String(i.input)}" is not a QEMU id; start with a letter and use up to 32 letters, digits, "-", "." or "_", e.g. net0`,
  });

/**
 * QEMU reads "," inside an option value as the next option (",," escapes it), and the path reaches
 * a root shell's exec: keep script paths to plain absolute paths.
 */
export const ScriptPath = z
  .string({ error: 'must be an absolute path written as text, e.g. /etc/kvmnet/qemu-ifup-lab' })
  .regex(/^(?:\/[A-Za-z0-9_.-]+)+$/, {
    error: (i) => `"${String(i.input)}" is not a plain absolute path; use "/" and letters, digits, ".", "_" or "-" only, e.g. /etc/kvmnet/qemu-ifup-lab`,
  })
  .refine((p) => !p.split('/').some((part) => part === '.' || part === '..'), { error: 'a script path may not contain "." or ".." parts; write it out in full' });

export const QemuTapBackend = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tap'), tap: InterfaceName }),
  z.strictObject({ kind: z.literal('script'), ifup: ScriptPath, ifdown: ScriptPath, tap: InterfaceName.optional() }),
], { error: 'backend must be {kind: "tap", tap} for a tap KVMNet made, or {kind: "script", ifup, ifdown} for QEMU to run the scripts' });

export const QemuNic = z.strictObject({
  id: QemuNetdevId,
  backend: QemuTapBackend,
  mac: GuestMac,
  model: NicModel,
  /** /dev/vhost-net exists here: the host kernel can then move virtio packets without QEMU */
  vhostNet: z.boolean({ error: 'must be true or false: whether /dev/vhost-net exists' }),
});
export type QemuNic = z.input<typeof QemuNic>;

export function renderQemuNicArgs(input: QemuNic): CommandLine {
  const nic = QemuNic.parse(input);
  const backend = nic.backend;
  const netdev = [
    'tap',
    `id=${nic.id}`,
    ...(backend.tap === undefined ? [] : [`ifname=${backend.tap}`]),
    ...(backend.kind === 'tap' ? ['script=no', 'downscript=no'] : [`script=${backend.ifup}`, `downscript=${backend.ifdown}`]),
    // vhost-net serves virtio-net only; for emulated models QEMU would ignore it at best
    ...(nic.vhostNet && nic.model === 'virtio' ? ['vhost=on'] : []),
  ];
  const device = [QEMU_NIC_DEVICE[nic.model], `netdev=${nic.id}`, `mac=${nic.mac}`];
  return commandLine(['-netdev', netdev.join(','), '-device', device.join(',')]);
}
