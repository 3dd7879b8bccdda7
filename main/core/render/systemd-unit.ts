import { HELPER_EXECUTABLE } from '../paths';

const checkedHelper = (helper: string): string => {
  if (!/^\/[A-Za-z0-9_./-]+$/.test(helper)) throw new Error(`the helper path ${JSON.stringify(helper)} cannot go on an ExecStart line`);
  return helper;
};

/**
 * The unit that brings direct networks back at boot (`kvmnet-helper --restore`). Ordering:
 *
 * - After systemd-modules-load: bridge, tun and nf_nat may come from modules listed there.
 * - After nftables.service and firewalld.service: nftables.service starts with `flush ruleset`,
 *   which would remove a table loaded before it; firewalld replaces only its own table.
 * - After network-pre.target and Before network.target: like other network setup, done before
 *   anything that waits for the network, and in particular before libvirtd and libvirt-guests,
 *   whose guests may use a KVMNet bridge; stated for both, as not every distribution orders them
 *   after network.target.
 * - oneshot + RemainAfterExit: it runs once per boot and shows as active afterwards; stopping it
 *   (at shutdown) takes nothing down.
 */
export function renderRestoreUnit(helper: string = HELPER_EXECUTABLE): string {
  checkedHelper(helper);
  return [
    '# Written by KVMNet; removed when the last direct network goes. Edits are lost.',
    '[Unit]',
    'Description=KVMNet: bring back direct virtual networks (bridges, dnsmasq, nftables)',
    'Wants=network-pre.target',
    'After=systemd-modules-load.service nftables.service firewalld.service network-pre.target',
    'Before=network.target libvirtd.service libvirt-guests.service',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${helper} --restore`,
    'RemainAfterExit=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * The unit that puts back the port forwards of KVMNet's libvirt networks at boot
 * (`kvmnet-helper --restore-libvirt-forwards`): their definitions hold the forwards, KVMNet's
 * table and the accept past libvirt's reject are rebuilt from them. It runs after libvirtd (and
 * the modular virtnetworkd): libvirt inserts its own FORWARD jumps at the top when it first starts
 * a network, and KVMNet's jump must end up above them. After= on a unit that does not exist orders
 * nothing, so one file serves both daemon layouts.
 */
export function renderLibvirtForwardsUnit(helper: string = HELPER_EXECUTABLE): string {
  return [
    '# Written by KVMNet; removed when the last port forward into a libvirt network goes. Edits are lost.',
    '[Unit]',
    'Description=KVMNet: port forwards into libvirt networks',
    'After=libvirtd.service virtnetworkd.service nftables.service firewalld.service',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${checkedHelper(helper)} --restore-libvirt-forwards`,
    'RemainAfterExit=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
