import { z } from 'zod';
import { InterfaceName, NetworkName } from '../names';
import { shellQuote, singleQuoted } from '../shell-quote';

/**
 * The pieces both QEMU network scripts share. QEMU (run as root, `-netdev tap,script=…,downscript=…`)
 * runs them with the tap's name as the only argument. The seeds' /etc/qemu-ifup tested '$1' in
 * single quotes (always true) and used brctl; these check the argument for real and use ip.
 */

export const QemuScriptTarget = z.strictObject({
  network: NetworkName,
  bridge: InterfaceName,
});
export type QemuScriptTarget = z.infer<typeof QemuScriptTarget>;

export type QemuScriptKind = 'ifup' | 'ifdown';

/** one file per network and kind, so scripts of different networks never overwrite each other */
export const qemuScriptName = (kind: QemuScriptKind, network: NetworkName): string => `qemu-${kind}-${network}`;

/** shebang, strict mode, a PATH with ip on it, the baked-in bridge and the argument check */
export function scriptPrologue(kind: QemuScriptKind, target: QemuScriptTarget, purpose: string): string[] {
  const name = qemuScriptName(kind, target.network);
  const say = (message: string) => `  echo ${shellQuote(`${name}: ${message}`)} >&2`;
  return [
    '#!/bin/bash',
    `# ${name}: written by KVMNet for network ${target.network}. QEMU runs it as root with the tap's`,
    `# name as its only argument; ${purpose}`,
    'set -euo pipefail',
    "# QEMU passes its own environment on, and a user's PATH may lack the sbin directories ip lives in",
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    `bridge=${singleQuoted(target.bridge)}`,
    'if [[ "$#" -lt 1 || -z "$1" ]]; then',
    say(`no interface given; QEMU passes the tap's name as the first argument (to try it by hand: ${name} TAP)`),
    '  exit 1',
    'fi',
  ];
}
