import { HELPER_EXECUTABLE } from '../paths';

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
  if (!/^\/[A-Za-z0-9_./-]+$/.test(helper)) throw new Error(`the helper path ${JSON.stringify(helper)} cannot go on an ExecStart line`);
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
