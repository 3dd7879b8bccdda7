import type { Lab } from '../lab/lab';

const THROWAWAY_XML = "<network><name>throwaway</name><forward mode='nat'/><bridge name='virbr9'/><ip address='192.168.199.1' netmask='255.255.255.0'/></network>";

/**
 * libvirt's first NAT start adds its own (empty) firewall chains and turns ip_forward on, and never
 * undoes either: lasting traces of libvirt, not of the network. Starting and removing a throw-away
 * network first puts them there before a test's first snapshot, as on any host that ever ran one.
 */
export async function warmUpLibvirt(lab: Lab): Promise<void> {
  const virsh = (...args: string[]) => lab.sh('virsh', ['-c', 'qemu:///system', ...args]);
  await lab.sh('tee', ['/run/throwaway.xml'], { input: THROWAWAY_XML });
  await virsh('net-define', '/run/throwaway.xml');
  await virsh('net-start', 'throwaway');
  await virsh('net-destroy', 'throwaway');
  await virsh('net-undefine', 'throwaway');
}
