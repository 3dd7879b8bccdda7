import { z } from 'zod';
import { GuestMac } from './mac';
import { NicModel } from './nic-model';
import { NicSource } from './nic-source';
import { commandLine, type CommandLine } from './command-line';

/** One guest NIC as virt-install's `--network` option, for a new libvirt guest. */
export const VirtInstallNic = z.strictObject({
  source: NicSource,
  model: NicModel,
  mac: GuestMac,
});
export type VirtInstallNic = z.input<typeof VirtInstallNic>;

export function renderVirtInstallNetworkArgs(input: VirtInstallNic): CommandLine {
  const nic = VirtInstallNic.parse(input);
  const source = nic.source.type === 'network' ? `network=${nic.source.network}` : `bridge=${nic.source.bridge}`;
  return commandLine(['--network', `${source},model=${nic.model},mac=${nic.mac}`]);
}
