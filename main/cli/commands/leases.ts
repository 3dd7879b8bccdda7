import type { Command } from 'commander';
import type { NetworkEngine } from '../../engine/engine';
import { listLeases } from '../../engine/leases';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { refuseIssues } from '../refuse-issues';

/** `kvmnet leases <network>`: who has which address, from dnsmasq (direct) or libvirt. */
export function registerLeases(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('leases')
    .description("the network's current DHCP leases (dnsmasq's lease file, or virsh net-dhcp-leases)")
    .argument('<network>', 'a KVMNet network')
    .option('--json', 'print the leases as a JSON array')
    .action(async (network: string, o: { json?: boolean }) => {
      const listed = await listLeases(await engine.readState(), network);
      if (!listed.ok) refuseIssues(io, listed.issues, o.json);
      const { leases } = listed;
      if (o.json) {
        io.stdout.write(`${JSON.stringify(leases, null, 2)}\n`);
        return;
      }
      if (leases.length === 0) {
        io.stdout.write(`network ${network} has no DHCP leases\n`);
        return;
      }
      const rows = leases.map((l) => [l.ip, l.mac, l.hostname ?? '-', l.expires ?? 'never']);
      io.stdout.write(`${formatTable([['IP', 'MAC', 'HOSTNAME', 'EXPIRES'], ...rows]).join('\n')}\n`);
    });
}
