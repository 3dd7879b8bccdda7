import type { Command } from 'commander';
import { chooseGuestMac, takenMacs } from '../../core/attach/guest-mac-choice';
import { renderLibvirtInterfaceXml } from '../../core/attach/libvirt-interface-xml';
import type { MacAddress } from '../../core/attach/mac';
import type { NicModel } from '../../core/attach/nic-model';
import { QemuNetdevId, renderQemuNicArgs } from '../../core/attach/qemu-args';
import { renderQemuIfdownScript } from '../../core/attach/qemu-ifdown-script';
import { renderQemuIfupScript } from '../../core/attach/qemu-ifup-script';
import { defaultTapName } from '../../core/attach/tap-name';
import { renderVirtInstallNetworkArgs } from '../../core/attach/virt-install-args';
import { nicSourceOf, planAttachDomainNic, planAttachTap } from '../../core/plan/attach-plans';
import { lookupNetwork, networkName, type KvmnetNetwork } from '../../core/plan/plan-context';
import type { NicSource } from '../../core/attach/nic-source';
import { NetworkName } from '../../core/names';
import type { NetworkEngine } from '../../engine/engine';
import { readGuestFacts, type GuestFacts } from '../../engine/guest-facts';
import type { HostNetworkState } from '../../engine/host-network-state';
import type { CliIo } from '../cli-io';
import { refuseInput } from '../bad-input';
import { attachRequest, PRINT_FORMATS, type AttachOptions, type AttachRequest } from '../attach-options';
import { findNetwork } from '../find-network';
import { bridgeOf, requireRunning } from '../guest-network';
import { requireDomain } from '../libvirt-domain';
import { runReported } from '../report-run';

export type ReadGuestFacts = (state: HostNetworkState) => Promise<GuestFacts>;

const hostGuestFacts: ReadGuestFacts = (state) => readGuestFacts(state.plan.snapshot, state.plan.records);

interface Context {
  io: CliIo;
  engine: NetworkEngine;
  state: HostNetworkState;
  json: boolean;
}

/** what a printed line plugs a guest into */
interface PrintTarget {
  name: string;
  source: NicSource;
  bridge: string | undefined;
}

/**
 * Printing changes nothing, so any libvirt network will do, one KVMNet did not create included
 * (libvirt's own "default", as the seeds use it); making a tap or changing a domain needs a
 * network of KVMNet's.
 */
function printTarget(c: Context, name: string): PrintTarget {
  const lookup = NetworkName.safeParse(name).success ? lookupNetwork(name, c.state.plan) : undefined;
  if (lookup && 'foreign' in lookup) return { name, source: { type: 'network', network: name }, bridge: lookup.foreign.bridge };
  const network = findNetwork(c.io, c.state, name);
  return { name: networkName(network), source: nicSourceOf(network), bridge: bridgeOf(network) };
}

function write(io: CliIo, json: boolean, text: string, value: Record<string, unknown>): void {
  io.stdout.write(json ? `${JSON.stringify({ ok: true, ...value }, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
}

/** the MAC for the guest's NIC: the user's, if no one on the host has it, else a fresh one */
function macFor(c: Context, facts: GuestFacts, requested: string | undefined): MacAddress {
  const choice = chooseGuestMac(requested, takenMacs(c.state.plan.snapshot, facts.leases, c.state.plan.records));
  if (!choice.ok) refuseInput(c.io, [{ ...choice.issue, field: '--mac' }], c.json);
  return choice.mac;
}

/** the scripts QEMU runs itself in the seeds' flow: only the bridge matters */
function printScript(c: Context, { name, bridge }: PrintTarget, kind: 'qemu-ifup' | 'qemu-ifdown'): void {
  if (bridge === undefined) refuseInput(c.io, [{ field: 'network', message: `libvirt names no bridge for network "${name}"; start it once (kvmnet start ${name}, or virsh net-start ${name} for a network KVMNet did not create) and try again` }], c.json);
  const script = (kind === 'qemu-ifup' ? renderQemuIfupScript : renderQemuIfdownScript)({ network: name, bridge });
  write(c.io, c.json, script, { network: name, format: kind, bridge, script });
}

/** A persistent tap for the invoking user on the network's bridge, through the helper, then QEMU's flags for it. */
async function printQemu(c: Context, network: KvmnetNetwork, facts: GuestFacts, request: Extract<AttachRequest, { way: 'print' }>): Promise<void> {
  requireRunning(c.io, network, c.json);
  const links = new Set(c.state.plan.snapshot.links.map((l) => l.name));
  if (request.tap !== undefined && links.has(request.tap)) {
    refuseInput(c.io, [{ field: '--tap', message: `--tap ${request.tap} already exists on this host; pick another name, or leave --tap out and KVMNet picks a free one` }], c.json);
  }
  const mac = macFor(c, facts, request.mac);
  const name = networkName(network);
  const tap = request.tap ?? defaultTapName(name, links);
  const id = QemuNetdevId.safeParse(tap).success ? tap : 'net0';
  const args = renderQemuNicArgs({ id, backend: { kind: 'tap', tap }, mac, model: request.model, vhostNet: facts.vhostNet });
  const user = facts.invokingUid;
  const plan = planAttachTap(network, { name: tap, user, mac });
  await runReported({
    io: c.io, engine: c.engine, plan, json: c.json,
    done: { text: args.shell, json: { network: name, format: 'qemu', tap, user, mac, model: request.model, vhost: facts.vhostNet, args: args.argv, shell: args.shell } },
  });
  c.io.stderr.write(`kvmnet: tap ${tap} belongs to uid ${user}: run QEMU as that user with the flags above; kvmnet detach ${name} --tap ${tap} removes it\n`);
}

function printSnippet(c: Context, { name, source }: PrintTarget, facts: GuestFacts, request: Extract<AttachRequest, { way: 'print' }>): void {
  const mac = macFor(c, facts, request.mac);
  const nic = { source, model: request.model, mac };
  if (request.format === 'virt-install') {
    const args = renderVirtInstallNetworkArgs(nic);
    write(c.io, c.json, args.shell, { network: name, format: request.format, mac, model: request.model, args: args.argv, shell: args.shell });
    return;
  }
  const xml = renderLibvirtInterfaceXml({ ...nic, ...(request.tap !== undefined && { target: request.tap }) });
  write(c.io, c.json, xml, { network: name, format: request.format, mac, model: request.model, xml });
}

async function attachToDomain(c: Context, network: KvmnetNetwork, facts: GuestFacts, domain: string, model: NicModel, requested: string | undefined): Promise<void> {
  requireRunning(c.io, network, c.json);
  const found = requireDomain(c.io, c.state.plan.snapshot, domain, c.json);
  const mac = macFor(c, facts, requested);
  const name = networkName(network);
  const where = found.state === 'shut off' ? 'its configuration (it starts with it next time)' : 'its configuration and the running guest';
  await runReported({
    io: c.io, engine: c.engine, plan: planAttachDomainNic(network, domain, mac, model), json: c.json,
    done: {
      text: `added a ${model} NIC with MAC ${mac} on network ${name} to domain ${domain}, in ${where}; kvmnet detach ${name} --vm ${domain} --mac ${mac} removes it`,
      json: { network: name, domain, mac, model },
    },
  });
}

export function registerAttach(program: Command, io: CliIo, engine: NetworkEngine, guestFacts: ReadGuestFacts = hostGuestFacts): void {
  program
    .command('attach')
    .description('put a guest on a network: print QEMU (with a tap of yours), virt-install or libvirt lines, or add a NIC to a libvirt domain')
    .argument('<network>', 'a KVMNet network, as kvmnet list shows it')
    .option('--print <format>', `what to print: ${PRINT_FORMATS.join(', ')} (qemu also makes a persistent tap you own on the network, so QEMU runs without root)`)
    .option('--vm <domain>', 'add a NIC on the network to this libvirt domain (its configuration, and the running guest when it runs)')
    .option('--mac <mac>', 'the guest NIC\'s MAC (default: a free 52:54:00:xx:xx:xx no domain, lease, link or tap on this host uses)')
    .option('--tap <ifname>', 'the tap\'s name for qemu, the target for libvirt-xml (default for qemu: kvt-<network>-N)')
    .option('--model <model>', 'NIC model: virtio, e1000e, e1000 or rtl8139 (default: virtio)')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (name: string, options: AttachOptions) => {
      const json = options.json === true;
      const { request, issues } = attachRequest(options);
      if (!request) refuseInput(io, issues, json);
      const state = await engine.readState();
      for (const problem of state.problems) io.stderr.write(`kvmnet: warning: ${problem}\n`);
      const c: Context = { io, engine, state, json };
      if (request.way === 'print' && (request.format === 'qemu-ifup' || request.format === 'qemu-ifdown')) {
        printScript(c, printTarget(c, name), request.format);
        return;
      }
      if (request.way === 'print' && request.format !== 'qemu') {
        const target = printTarget(c, name);
        printSnippet(c, target, await guestFacts(state), request);
        return;
      }
      const network = findNetwork(io, state, name);
      const facts = await guestFacts(state);
      if (request.way === 'vm') await attachToDomain(c, network, facts, request.domain, request.model, request.mac);
      else await printQemu(c, network, facts, request);
    });
}
