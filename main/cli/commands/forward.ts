import type { Command } from 'commander';
import { forwardText, rangeText } from '../../core/attach/port-forward';
import { renderPlanAsShell } from '../../core/render/plan-as-shell';
import type { NetworkEngine } from '../../engine/engine';
import { listForwards, prepareForwardAdd, prepareForwardRemove } from '../../engine/forwards';
import { readNftSetSpecs } from '../../engine/network-target';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { refuseIssues } from '../refuse-issues';
import { runReported } from '../report-run';

/**
 * `kvmnet forward add|list|remove <network>`: port forwards into a NAT network's guests. A forward
 * is named by its protocol and host port(s) (plus --host-ip when it has one): no two forwards on
 * the host can share those, so `forward remove lab --proto tcp --host-port 8080` is unambiguous.
 */
export function registerForward(program: Command, io: CliIo, engine: NetworkEngine): void {
  const forward = program
    .command('forward')
    .description('forward host ports to a guest of a NAT network (DNAT in KVMNet\'s nftables table)');

  forward
    .command('add')
    .description('forward a host port (or range N-M, mapped 1:1) to IP:PORT in the network')
    .argument('<network>', 'a KVMNet nat network')
    .requiredOption('--proto <proto>', 'tcp or udp')
    .requiredOption('--host-port <port>', 'the host port, or a range N-M')
    .requiredOption('--to <ip:port>', "the guest's address and port (or N-M), e.g. 10.80.0.50:80")
    .option('--host-ip <ip>', 'only connections to this address of the host (default: every address of the host)')
    .option('--dry-run', 'print the equivalent commands instead of changing anything')
    .option('--json', 'print the result as JSON')
    .action(async (network: string, o: { proto: string; hostPort: string; to: string; hostIp?: string; dryRun?: boolean; json?: boolean }) => {
      const state = await engine.readState();
      const prepared = await prepareForwardAdd(state, { network, proto: o.proto, hostPort: o.hostPort, to: o.to, hostIp: o.hostIp });
      if (!prepared.ok) refuseIssues(io, prepared.issues, o.json);
      if (o.dryRun) {
        io.stdout.write(renderPlanAsShell(prepared.plan, { nftNetworks: await readNftSetSpecs() }));
        return;
      }
      const { forward: added, targetReserved } = prepared.value;
      await runReported({ io, engine, plan: prepared.plan, json: o.json ?? false, done: { text: `forwarding ${forwardText(added)} on network ${network}`, json: { network, forward: added } } });
      if (!targetReserved) {
        io.stderr.write(`kvmnet: note: ${added.to.ip} is not reserved, and a DHCP address can pass to another guest; keep it with: kvmnet reserve ${network} --mac <the guest's MAC> --ip ${added.to.ip}\n`);
      }
    });

  forward
    .command('list')
    .description("a network's port forwards")
    .argument('<network>', 'a KVMNet network')
    .option('--json', 'print the forwards as a JSON array')
    .action(async (network: string, o: { json?: boolean }) => {
      const listed = await listForwards(await engine.readState(), network);
      if (!listed.ok) refuseIssues(io, listed.issues, o.json);
      const { forwards } = listed.listing;
      if (o.json) {
        io.stdout.write(`${JSON.stringify(forwards, null, 2)}\n`);
        return;
      }
      if (forwards.length === 0) {
        io.stdout.write(`network ${network} has no port forwards\n`);
        return;
      }
      const rows = forwards.map((f) => [f.proto, f.hostIp ?? '*', rangeText(f.hostPort), `${f.to.ip}:${rangeText(f.to.port)}`]);
      io.stdout.write(`${formatTable([['PROTO', 'HOST IP', 'HOST PORT', 'TO'], ...rows]).join('\n')}\n`);
    });

  forward
    .command('remove')
    .description('remove the forward of a host port (named by --proto and --host-port, plus --host-ip if it has one)')
    .argument('<network>', 'a KVMNet network')
    .requiredOption('--proto <proto>', 'tcp or udp')
    .requiredOption('--host-port <port>', 'the host port or range, as forward list shows it')
    .option('--host-ip <ip>', 'the host address, when the forward has one')
    .option('--dry-run', 'print the equivalent commands instead of changing anything')
    .option('--json', 'print the result as JSON')
    .action(async (network: string, o: { proto: string; hostPort: string; hostIp?: string; dryRun?: boolean; json?: boolean }) => {
      const state = await engine.readState();
      const prepared = await prepareForwardRemove(state, { network, proto: o.proto, hostPort: o.hostPort, hostIp: o.hostIp });
      if (!prepared.ok) refuseIssues(io, prepared.issues, o.json);
      if (o.dryRun) {
        io.stdout.write(renderPlanAsShell(prepared.plan, { nftNetworks: await readNftSetSpecs() }));
        return;
      }
      await runReported({ io, engine, plan: prepared.plan, json: o.json ?? false, done: { text: `removed forward ${forwardText(prepared.value)} from network ${network}`, json: { network, removed: prepared.value } } });
    });
}
