import type { Command } from 'commander';
import type { z } from 'zod';
import { adviseMacvtap, MacvtapRequest } from '../../core/bridge-to-lan/macvtap-shim';
import type { CliIo } from '../cli-io';
import { refuseInput } from '../bad-input';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `kvmnet macvtap`: what direct attachment does and does not do, and the host shim that fixes host-guest traffic. Prints only. */
export function registerMacvtap(program: Command, io: CliIo): void {
  program
    .command('macvtap')
    .description('explain macvtap (direct attachment) and print the host macvlan shim that lets the host reach its guests')
    .requiredOption('--uplink <ifname>', 'the wired NIC the guests attach to')
    .requiredOption('--shim-address <ip>', 'a free LAN address for the host side of the shim')
    .option('--guest <ip>', 'a guest address the host must reach (repeat for each)', collect)
    .option('--shim <ifname>', 'name of the shim (default kvshim0)')
    .action((options: { uplink: string; shimAddress: string; guest?: string[]; shim?: string }) => {
      const parsed = MacvtapRequest.safeParse({ uplink: options.uplink, shimAddress: options.shimAddress, guests: options.guest ?? [], ...(options.shim ? { shimName: options.shim } : {}) });
      if (!parsed.success) {
        refuseInput(io, parsed.error.issues.map((i: z.core.$ZodIssue) => ({ field: String(i.path[0] ?? 'uplink'), message: `${String(i.path.join('.'))}: ${i.message}` })));
      }
      const advice = adviseMacvtap(parsed.data);
      io.stdout.write([
        advice.why, '',
        'A guest attached directly (libvirt):', advice.libvirtInterface,
        `virt-install: ${advice.virtInstallNetwork}`, '',
        'The host shim (as root; gone at reboot):', ...advice.shimCommands.map((c) => `  ${c}`), '',
        'To remove it:', ...advice.shimUndo.map((c) => `  ${c}`), '',
      ].join('\n'));
    });
}
