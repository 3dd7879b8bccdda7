import { QemuScriptTarget, scriptPrologue } from './qemu-if-script';

/** The qemu-ifdown script of a network: takes the guest's tap off the network's bridge and down. */
export function renderQemuIfdownScript(input: QemuScriptTarget): string {
  const target = QemuScriptTarget.parse(input);
  return [
    ...scriptPrologue('ifdown', target, `it takes the tap off bridge ${target.bridge} and down.`),
    '# nothing is left to release when the tap is already gone',
    'if [[ ! -e "/sys/class/net/$1" ]]; then',
    '  exit 0',
    'fi',
    '# release the tap only from this network\'s bridge: someone may have moved it since',
    'master=$(readlink "/sys/class/net/$1/master" || true)',
    'if [[ "${master##*/}" == "${bridge}" ]]; then',
    '  ip link set dev "$1" nomaster',
    'fi',
    'ip link set dev "$1" down',
    '',
  ].join('\n');
}
