import type { Command } from 'commander';
import { renderPlanAsShell } from '../../core/render/plan-as-shell';
import type { NetworkEngine } from '../../engine/engine';
import { prepareReserve, prepareUnreserve } from '../../engine/reservations';
import { readNftSetSpecs } from '../../engine/network-target';
import type { CliIo } from '../cli-io';
import { refuseIssues } from '../refuse-issues';
import { runReported } from '../report-run';

/** `kvmnet reserve` and `kvmnet unreserve`: fixed DHCP addresses for guests' MACs. */
export function registerReserve(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('reserve')
    .description('always give the guest with this MAC this address (and DNS name) on the network')
    .argument('<network>', 'a KVMNet network with DHCP')
    .requiredOption('--mac <mac>', "the guest NIC's MAC, e.g. 52:54:00:12:34:56")
    .requiredOption('--ip <ip>', 'the address to reserve, inside the network')
    .option('--name <host>', 'a host name for the network\'s DNS')
    .option('--dry-run', 'print the equivalent commands instead of changing anything')
    .option('--json', 'print the result as JSON')
    .action(async (network: string, o: { mac: string; ip: string; name?: string; dryRun?: boolean; json?: boolean }) => {
      const prepared = await prepareReserve(await engine.readState(), { network, mac: o.mac, ip: o.ip, name: o.name });
      if (!prepared.ok) refuseIssues(io, prepared.issues, o.json);
      if (o.dryRun) {
        io.stdout.write(renderPlanAsShell(prepared.plan, { nftNetworks: await readNftSetSpecs() }));
        return;
      }
      const r = prepared.value;
      await runReported({ io, engine, plan: prepared.plan, json: o.json ?? false, done: { text: `reserved ${r.ip} for ${r.mac}${r.name ? ` (${r.name})` : ''} on network ${network}`, json: { network, reservation: r } } });
    });

  program
    .command('unreserve')
    .description('remove a DHCP reservation, named by --mac or --ip')
    .argument('<network>', 'a KVMNet network')
    .option('--mac <mac>', 'the reserved MAC')
    .option('--ip <ip>', 'the reserved address')
    .option('--dry-run', 'print the equivalent commands instead of changing anything')
    .option('--json', 'print the result as JSON')
    .action(async (network: string, o: { mac?: string; ip?: string; dryRun?: boolean; json?: boolean }) => {
      const prepared = await prepareUnreserve(await engine.readState(), { network, mac: o.mac, ip: o.ip });
      if (!prepared.ok) refuseIssues(io, prepared.issues, o.json);
      if (o.dryRun) {
        io.stdout.write(renderPlanAsShell(prepared.plan, { nftNetworks: await readNftSetSpecs() }));
        return;
      }
      const r = prepared.value;
      await runReported({ io, engine, plan: prepared.plan, json: o.json ?? false, done: { text: `released ${r.ip} (${r.mac}) on network ${network}`, json: { network, removed: r } } });
    });
}
