import { qemuScriptName, QemuScriptTarget, scriptPrologue } from './qemu-if-script';
import { shellQuote } from '../shell-quote';

/** The qemu-ifup script of a network: puts the guest's tap on the network's bridge and brings it up. */
export function renderQemuIfupScript(input: QemuScriptTarget): string {
  const target = QemuScriptTarget.parse(input);
  const name = qemuScriptName('ifup', target.network);
  const missing = `bridge ${target.bridge} does not exist; start KVMNet network ${target.network} first, then start the guest again`;
  return [
    ...scriptPrologue('ifup', target, `it puts the tap on bridge ${target.bridge} and brings it up.`),
    // a clear word instead of ip's "Cannot find device" when the network is not running
    'if [[ ! -d "/sys/class/net/${bridge}/bridge" ]]; then',
    `  echo ${shellQuote(`${name}: ${missing}`)} >&2`,
    '  exit 1',
    'fi',
    'ip link set dev "$1" master "${bridge}"',
    'ip link set dev "$1" up',
    '',
  ].join('\n');
}
