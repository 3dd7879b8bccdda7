import type { Command } from 'commander';
import { normalizeMac } from '../../core/attach/mac';
import { InterfaceName } from '../../core/names';
import { DomainName } from '../../core/attach/domain-name';
import { pluggedInto } from '../../core/attach/domain-nics';
import { nicSourceOf, planDetachDomainNic, planDetachTap } from '../../core/plan/attach-plans';
import { networkName } from '../../core/plan/plan-context';
import type { NetworkEngine } from '../../engine/engine';
import type { FieldIssue } from '../../core/network/field-issue';
import type { CliIo } from '../cli-io';
import { refuseInput } from '../bad-input';
import { findNetwork } from '../find-network';
import { requireDomain } from '../libvirt-domain';
import { runReported } from '../report-run';

interface DetachOptions {
  tap?: string;
  vm?: string;
  mac?: string;
  json?: boolean;
}

/** the shape of a detach command line: a tap, or a domain with the MAC of the NIC to remove */
function detachIssues(options: DetachOptions): FieldIssue[] {
  if ((options.tap === undefined) === (options.vm === undefined)) {
    return [{ field: '--tap', message: 'give --tap IFNAME or --vm DOMAIN --mac MAC, one of them: --tap removes a tap kvmnet attach --print qemu made, --vm removes a NIC kvmnet attach --vm added' }];
  }
  const issues: FieldIssue[] = [];
  if (options.tap !== undefined) {
    const tap = InterfaceName.safeParse(options.tap);
    if (!tap.success) issues.push({ field: '--tap', message: `--tap "${options.tap}": ${tap.error.issues[0]?.message ?? 'not an interface name'}` });
    if (options.mac !== undefined) issues.push({ field: '--mac', message: '--mac does not apply to --tap (the tap is named); leave it out' });
    return issues;
  }
  const domain = DomainName.safeParse(options.vm);
  if (!domain.success) issues.push({ field: '--vm', message: `--vm ${domain.error.issues[0]?.message ?? 'not a domain name'}` });
  if (options.mac === undefined) issues.push({ field: '--mac', message: '--mac is missing: --vm removes the NIC with this MAC (virsh domiflist DOMAIN lists them)' });
  else if (normalizeMac(options.mac) === undefined) issues.push({ field: '--mac', message: `--mac "${options.mac}" is not a MAC address; write six pairs of hex digits joined by ":", e.g. 52:54:00:3a:7c:01` });
  return issues;
}

export function registerDetach(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('detach')
    .description('take a guest off a network: remove a tap kvmnet attach made, or a NIC it added to a libvirt domain')
    .argument('<network>', 'the KVMNet network, as kvmnet list shows it')
    .option('--tap <ifname>', 'the tap to remove (one KVMNet made on this network)')
    .option('--vm <domain>', 'the libvirt domain to remove a NIC from (with --mac)')
    .option('--mac <mac>', 'with --vm: the MAC of the NIC to remove')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (name: string, options: DetachOptions) => {
      const json = options.json === true;
      const issues = detachIssues(options);
      if (issues.length > 0) refuseInput(io, issues, json);
      const state = await engine.readState();
      const network = findNetwork(io, state, name);
      const net = networkName(network);
      const { snapshot } = state.plan;
      if (options.tap !== undefined) {
        const tap = snapshot.links.find((l) => l.name === options.tap);
        if (!tap || tap.kind !== 'tap' || tap.owner !== net) {
          const ours = snapshot.links.filter((l) => l.kind === 'tap' && l.owner === net).map((l) => l.name);
          const what = !tap ? 'does not exist' : tap.kind !== 'tap' ? `is a ${tap.kind}, not a tap` : tap.owner ? `is a tap of network ${tap.owner}` : 'is not a tap KVMNet made';
          refuseInput(io, [{ field: '--tap', message: `--tap ${options.tap} ${what}; KVMNet removes only taps it made on network ${net}${ours.length ? ` (${ours.join(', ')})` : ' (it has none)'}` }], json);
        }
        await runReported({ io, engine, plan: planDetachTap(network, tap.name), json, done: { text: `removed tap ${tap.name} from network ${net}`, json: { network: net, tap: tap.name } } });
        return;
      }
      const domain = requireDomain(io, snapshot, options.vm!, json);
      const mac = normalizeMac(options.mac!)!;
      const source = nicSourceOf(network);
      const nic = domain.interfaces.find((i) => i.mac !== undefined && normalizeMac(i.mac) === mac);
      if (!nic || !pluggedInto(nic, source)) {
        const why = nic ? `is on ${nic.source ?? nic.type}, not on network ${net}` : 'is not one of its NICs';
        refuseInput(io, [{ field: '--mac', message: `--mac ${mac} ${why} of domain ${domain.name}; virsh domiflist ${domain.name} lists its NICs` }], json);
      }
      await runReported({
        io, engine, plan: planDetachDomainNic(network, domain.name, mac), json,
        done: { text: `removed the NIC ${mac} on network ${net} from domain ${domain.name}`, json: { network: net, domain: domain.name, mac } },
      });
    });
}
