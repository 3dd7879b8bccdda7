import { z } from 'zod';
import { InterfaceName } from '../names';
import { shellCommand } from '../shell-quote';

/**
 * macvtap ("direct attachment"): a guest NIC that sits right on a wired host NIC, no bridge and no
 * change to the host's addressing. Its catch: the host itself cannot reach the guests, because a
 * macvlan in bridge mode switches frames between its siblings and the wire but never hands them to
 * the parent's own IP stack. The remedy is a host "shim": one more macvlan on the same NIC that the
 * host uses to talk to its guests, with routes to them through it.
 */
export const MacvtapRequest = z.object({
  uplink: InterfaceName,
  /** the host's end of the shim: a free address on the LAN */
  shimAddress: z.ipv4({ message: 'a free IPv4 address on the LAN for the host side, e.g. 192.168.1.250' }),
  /** the guests the host must reach (static or reserved leases); a /32 route each goes through the shim */
  guests: z.array(z.ipv4({ message: 'each guest is an IPv4 address, e.g. 192.168.1.70' })).max(64),
  shimName: InterfaceName.default('kvshim0'),
}).strict();
export type MacvtapRequest = z.input<typeof MacvtapRequest>;

export interface MacvtapAdvice {
  readonly why: string;
  /** the libvirt <interface> of a guest attached directly */
  readonly libvirtInterface: string;
  readonly virtInstallNetwork: string;
  /** the shim, as commands to run as root (they do not survive a reboot) */
  readonly shimCommands: readonly string[];
  readonly shimUndo: readonly string[];
}

export const MACVTAP_WHY =
  'With macvtap (direct attachment) guests share the NIC with the host and sit on the LAN, but the host cannot reach them, ' +
  'nor they the host: the NIC sends their frames out on the wire and never back up to the host\'s own network stack. ' +
  'Other LAN machines and the guests themselves talk to each other normally. A host macvlan "shim" on the same NIC, ' +
  'with routes to the guests through it, restores host-guest traffic; a bridge to the LAN (kvmnet create bridged) avoids the problem altogether.';

export function adviseMacvtap(input: MacvtapRequest): MacvtapAdvice {
  const r = MacvtapRequest.parse(input);
  return {
    why: MACVTAP_WHY,
    libvirtInterface: `<interface type="direct">\n  <source dev="${r.uplink}" mode="bridge"/>\n  <model type="virtio"/>\n</interface>\n`,
    virtInstallNetwork: `--network type=direct,source=${r.uplink},source.mode=bridge,model=virtio`,
    shimCommands: [
      shellCommand('ip', 'link', 'add', r.shimName, 'link', r.uplink, 'type', 'macvlan', 'mode', 'bridge'),
      shellCommand('ip', 'address', 'add', `${r.shimAddress}/32`, 'dev', r.shimName),
      shellCommand('ip', 'link', 'set', r.shimName, 'up'),
      ...r.guests.map((g) => shellCommand('ip', 'route', 'add', `${g}/32`, 'dev', r.shimName, 'src', r.shimAddress)),
    ],
    shimUndo: [shellCommand('ip', 'link', 'delete', r.shimName)],
  };
}
