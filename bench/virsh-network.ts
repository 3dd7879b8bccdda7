import type { BenchNetwork } from './bench-network';
import { command, type Command } from './command';

/** libvirt's way, as the seeds type it: define from a hand-written XML file, then start; destroy, then undefine. */
export const LIBVIRT_URI = 'qemu:///system';
const virsh = (...args: string[]): Command => command('virsh', ['-c', LIBVIRT_URI, ...args]);

export const virshCreate = (net: BenchNetwork, xmlFile: string): Command[] => [virsh('net-define', xmlFile), virsh('net-start', net.name)];
export const virshDelete = (net: BenchNetwork): Command[] => [virsh('net-destroy', net.name), virsh('net-undefine', net.name)];
