import type { Command } from 'commander';
import { completeDraft } from '../../core/network/defaults';
import { NetworkInputError } from '../../core/network/field-issue';
import type { NetworkContext } from '../../core/network/network-context';
import type { NetworkSpec } from '../../core/network/network-spec';
import { validateNetwork } from '../../core/network/validate-network';
import { planCreate } from '../../core/plan/network-plans';
import { runningDirectSpecs } from '../../core/plan/plan-context';
import { routerAdvertisementIssues } from '../../core/plan/router-advertisements';
import { proxyArpWarnings } from '../../core/network/proxy-arp-slice';
import { renderPlanAsShell } from '../../core/render/plan-as-shell';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { refuseInput } from '../bad-input';
import { draftFromOptions, type CreateOptions } from '../create-draft';
import { describeSpec } from '../format-network';
import { runReported } from '../report-run';
import { runCreateBridged } from './create-bridged';

/** the network the draft becomes here; no free subnet left is bad input too */
function complete(io: CliIo, draft: Record<string, unknown>, context: NetworkContext, json: boolean): NetworkSpec {
  try {
    return completeDraft(draft, context);
  } catch (e) {
    if (e instanceof NetworkInputError) refuseInput(io, e.issues, json);
    throw e;
  }
}

/**
 * Everything is checked against the host before anything runs: the command line's shape, then
 * validateNetwork (subnet clashes, names, bridge, uplink …), then the completed network.
 */
export function registerCreate(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('create')
    .usage('<nat|hostonly|isolated|routed|bridged> <name> [options]')
    .description('create a virtual network, start it, and keep it across reboots')
    .argument('<kind>', 'nat (guests reach out through the host), routed (no NAT; needs --uplink), hostonly (host and guests only), isolated (guests only) or bridged (guests on the LAN: the --uplink NIC moves onto a new bridge)')
    .argument('<name>', 'the network name: letters, digits, "_" and "-", up to 32 characters')
    .option('--subnet <cidr>', 'IPv4 subnet, e.g. 10.80.0.0/24 (default: the first free /24)')
    .option('--dhcp <start-end>', 'DHCP range inside the subnet, e.g. 10.80.0.100-10.80.0.200 (default: the upper half)')
    .option('--no-dhcp', 'no DHCP: guests configure their addresses themselves')
    .option('--uplink <ifname>', 'host interface the traffic leaves by (required for routed; default for nat: the default route)')
    .option('--proxy-arp', "routed: guests get addresses from the uplink's own LAN subnet (a slice of it, --subnet or the highest free /28) and the host answers ARP for them there, so the LAN reaches them without a route; works on Wi-Fi")
    .option('--bridge <ifname>', 'name of the bridge (default: kv-<name>)')
    .option('--backend <backend>', 'libvirt or direct (default: libvirt when libvirtd answers, else direct)')
    .option('--domain <dnsdomain>', 'DNS domain served to the guests, e.g. lab.internal')
    .option('--mtu <n>', 'MTU of the bridge (68-65535)')
    .option('--ipv6 [cidr]', 'add IPv6: the given /64, or a unique local /64 picked for this network')
    .option('--no-autostart', 'do not start the network at boot')
    .option('--confirm-timeout <seconds>', 'bridged: roll back unless `kvmnet confirm <name>` comes within this many seconds (default 60)')
    .option('--no-wait', 'bridged: return once the change waits for confirmation instead of waiting for it')
    .option('--dry-run', 'print the equivalent commands (and libvirt XML) instead of changing anything')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (kind: string, name: string, options: CreateOptions & { confirmTimeout?: string; wait?: boolean }) => {
      if (kind === 'bridged') {
        await runCreateBridged(io, name, options);
        return;
      }
      const json = options.json === true;
      const state = await engine.readState();
      for (const problem of state.problems) io.stderr.write(`kvmnet: warning: ${problem}\n`);
      const { draft, issues } = draftFromOptions(kind, name, options);
      const all = [...issues, ...validateNetwork(draft, state.network)];
      if (all.length > 0) refuseInput(io, all, json);
      const spec = complete(io, draft, state.network, json);
      const hostIssues = routerAdvertisementIssues(spec, state.plan);
      if (hostIssues.length > 0) refuseInput(io, hostIssues, json);
      for (const warning of proxyArpWarnings(spec)) io.stderr.write(`kvmnet: warning: ${warning}\n`);
      const plan = planCreate(spec, state.plan);
      if (options.dryRun) {
        const commands = renderPlanAsShell(plan, { nftNetworks: runningDirectSpecs(state.plan) });
        io.stdout.write(json ? `${JSON.stringify({ ok: true, dryRun: true, network: spec, plan, commands }, null, 2)}\n` : commands);
        return;
      }
      await runReported({ io, engine, plan, json, done: { text: `created ${describeSpec(spec)}`, json: { network: spec } } });
    });
}
