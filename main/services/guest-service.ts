import { optionLines } from '../core/attach/command-line';
import { domainNicsOn } from '../core/attach/domain-nics';
import { chooseGuestMac, takenMacs } from '../core/attach/guest-mac-choice';
import { normalizeMac } from '../core/attach/mac';
import { renderLibvirtInterfaceXml } from '../core/attach/libvirt-interface-xml';
import type { MacAddress } from '../core/attach/mac';
import type { NicModel } from '../core/attach/nic-model';
import { PORT_FORWARD_FORM_LABELS } from '../core/attach/port-forward';
import { QemuNetdevId, renderQemuNicArgs } from '../core/attach/qemu-args';
import { qemuScriptName } from '../core/attach/qemu-if-script';
import { renderQemuIfdownScript } from '../core/attach/qemu-ifdown-script';
import { renderQemuIfupScript } from '../core/attach/qemu-ifup-script';
import { RESERVATION_FORM_LABELS } from '../core/attach/reservation';
import { defaultTapName } from '../core/attach/tap-name';
import { renderVirtInstallNetworkArgs } from '../core/attach/virt-install-args';
import { KvmnetError } from '../core/kvmnet-error';
import { NetworkName } from '../core/names';
import type { FieldIssue } from '../core/network/field-issue';
import { nicSourceOf, planAttachDomainNic, planAttachTap, planDetachDomainNic, planDetachTap } from '../core/plan/attach-plans';
import { lookupNetwork, networkName, type KvmnetNetwork } from '../core/plan/plan-context';
import { shellCommand } from '../core/shell-quote';
import { bridgeOf, isRunning } from '../cli/guest-network';
import { listForwards, prepareForwardAdd, prepareForwardRemove } from '../engine/forwards';
import type { GuestFacts } from '../engine/guest-facts';
import type { HostNetworkState } from '../engine/host-network-state';
import { listLeases } from '../engine/leases';
import type { Prepared } from '../engine/network-target';
import { prepareReserve, prepareUnreserve } from '../engine/reservations';
import type { Plan } from '../helper/protocol';
import type { AttachedGuest, AttachedVm, GuestChange, GuestDetails, GuestOutputs, GuestTap } from '../ipc/guest-channels';
import type { RunResult } from '../ipc/network-channels';

/** What the guest service needs from the rest of main; the app and the E2E transport pass real ones. */
export interface GuestServiceDeps {
  readState(): Promise<HostNetworkState>;
  /** leases, /dev/vhost-net: what readGuestFacts reads beside the network state */
  guestFacts(state: HostNetworkState): Promise<Omit<GuestFacts, 'invokingUid'>>;
  /** the network service's run: one change at a time, progress on networks:progress */
  run(runId: string, plan: Plan): Promise<RunResult>;
  /** who the taps are for: the desktop user the app runs as */
  userUid(): number;
  random(): number;
}

export type GuestService = ReturnType<typeof createGuestService>;

const MAC_LABEL = 'MAC';

const refused = (issues: FieldIssue[]): KvmnetError => {
  const issue = issues[0];
  return new KvmnetError('BAD_REQUEST', issue?.message ?? 'the request is not valid', issue?.field);
};

/**
 * Guests on a network for the app, on the CLI's own engine: the same MAC choice, tap naming,
 * renderers, attach plans, and forward and reservation checks as kvmnet attach, forward and
 * reserve, each change run through the app's privilege session as a journaled plan.
 */
export function createGuestService(deps: GuestServiceDeps) {
  function find(name: string, state: HostNetworkState): KvmnetNetwork {
    const lookup = lookupNetwork(NetworkName.parse(name), state.plan);
    if ('found' in lookup) return lookup.found;
    if ('foreign' in lookup) throw new KvmnetError('READ_ONLY', `"${name}" is a libvirt network KVMNet did not create; attach guests to it with virt-manager or virsh`, 'name');
    throw new KvmnetError('NOT_FOUND', `there is no KVMNet network "${name}" on this host; it may have been deleted meanwhile`, 'name');
  }

  async function macFor(state: HostNetworkState, facts: Omit<GuestFacts, 'invokingUid'>, requested: string | undefined): Promise<MacAddress> {
    const wanted = requested?.trim() === '' ? undefined : requested?.trim();
    const choice = chooseGuestMac(wanted, takenMacs(state.plan.snapshot, facts.leases, state.plan.records), deps.random, MAC_LABEL);
    if (!choice.ok) throw refused([choice.issue]);
    return choice.mac;
  }

  const tapsOf = (state: HostNetworkState, network: string): GuestTap[] =>
    state.plan.snapshot.links
      .filter((l) => l.kind === 'tap' && l.owner === network)
      .map((l) => ({ name: l.name, ownerUid: l.tapOwnerUid ?? null, up: l.up }));

  /** a libvirt domain on this host, or why not, worded as the CLI's --vm refusals are */
  function domainOf(state: HostNetworkState, domain: string) {
    const { libvirt } = state.plan.snapshot;
    if (!libvirt.available) throw new KvmnetError('BAD_REQUEST', `libvirt did not answer (${libvirt.reason ?? 'unavailable'}); start libvirtd and try again`, 'domain');
    const found = libvirt.domains.find((d) => d.name === domain);
    if (!found) throw new KvmnetError('BAD_REQUEST', `"${domain}" is not a libvirt domain on this host (any more); virsh list --all shows the domains`, 'domain');
    return found;
  }

  async function change<T>(runId: string, prepared: Prepared<T>, after: (value: T) => Partial<GuestChange> = () => ({})): Promise<GuestChange> {
    if (!prepared.ok) return { issues: prepared.issues, result: null };
    const result = await deps.run(runId, prepared.plan);
    return { issues: [], result, ...(result.status === 'done' ? after(prepared.value) : {}) };
  }

  return {
    async details(name: string): Promise<GuestDetails> {
      const state = await deps.readState();
      const network = find(name, state);
      const [leases, forwards] = await Promise.all([listLeases(state, name), listForwards(state, name)]);
      const spec = leases.ok ? leases.network : undefined;
      const dhcp = spec?.dhcp != null;
      return {
        network: name,
        running: isRunning(network),
        taps: tapsOf(state, name),
        vmNics: domainNicsOn(state.plan.snapshot.libvirt.domains, nicSourceOf(network)),
        leases: leases.ok && dhcp ? leases.leases : null,
        forwards: forwards.ok && spec?.kind === 'nat' ? [...forwards.listing.forwards] : null,
        reservations: spec && dhcp ? [...(spec.reservations ?? [])] : null,
      };
    },

    async outputs(name: string, model: NicModel, mac: string | undefined): Promise<GuestOutputs> {
      const state = await deps.readState();
      const network = find(name, state);
      const chosen = await macFor(state, await deps.guestFacts(state), mac);
      const nic = { source: nicSourceOf(network), model, mac: chosen };
      const bridge = bridgeOf(network);
      const target = bridge === undefined ? undefined : { network: networkName(network), bridge };
      return {
        mac: chosen,
        model,
        virtInstall: renderVirtInstallNetworkArgs(nic).shell,
        libvirtXml: renderLibvirtInterfaceXml(nic),
        qemuIfup: target ? { name: qemuScriptName('ifup', target.network), script: renderQemuIfupScript(target) } : null,
        qemuIfdown: target ? { name: qemuScriptName('ifdown', target.network), script: renderQemuIfdownScript(target) } : null,
        nextTap: bridge === undefined ? null : defaultTapName(name, new Set(state.plan.snapshot.links.map((l) => l.name))),
        domains: {
          names: state.plan.snapshot.libvirt.domains.map((d) => ({ name: d.name, state: d.state })),
          ...(!state.plan.snapshot.libvirt.available && { unavailable: state.plan.snapshot.libvirt.reason ?? 'libvirt did not answer' }),
        },
      };
    },

    /** kvmnet attach --print qemu: a persistent tap the desktop user owns, then QEMU's flags for it */
    async attach(runId: string, name: string, model: NicModel, mac: string | undefined): Promise<AttachedGuest> {
      const state = await deps.readState();
      const network = find(name, state);
      if (!isRunning(network)) throw new KvmnetError('BAD_REQUEST', `network "${name}" is not running, so a guest cannot join its bridge; start it first`, 'name');
      const facts = await deps.guestFacts(state);
      const chosen = await macFor(state, facts, mac);
      const tap = defaultTapName(name, new Set(state.plan.snapshot.links.map((l) => l.name)));
      const id = QemuNetdevId.safeParse(tap).success ? tap : 'net0';
      const args = renderQemuNicArgs({ id, backend: { kind: 'tap', tap }, mac: chosen, model, vhostNet: facts.vhostNet });
      const ownerUid = deps.userUid();
      const result = await deps.run(runId, planAttachTap(network, { name: tap, user: ownerUid, mac: chosen }));
      return {
        result, tap, ownerUid, mac: chosen, model, vhost: facts.vhostNet,
        qemu: { argv: [...args.argv], shell: args.shell, lines: optionLines(args.argv) },
        detachCommand: shellCommand('kvmnet', 'detach', name, '--tap', tap),
      };
    },

    /** kvmnet detach --tap: only a tap KVMNet made on this network */
    async detach(runId: string, name: string, tap: string): Promise<RunResult> {
      const state = await deps.readState();
      const network = find(name, state);
      if (!tapsOf(state, name).some((t) => t.name === tap)) {
        throw new KvmnetError('BAD_REQUEST', `${tap} is not a tap KVMNet made on network ${name}; it removes only its own taps`, 'tap');
      }
      return deps.run(runId, planDetachTap(network, tap));
    },

    /** kvmnet attach --vm: a NIC on the network in the domain's configuration, and in the guest while it runs */
    async attachVm(runId: string, name: string, domain: string, model: NicModel, mac: string | undefined): Promise<AttachedVm> {
      const state = await deps.readState();
      const network = find(name, state);
      if (!isRunning(network)) throw new KvmnetError('BAD_REQUEST', `network "${name}" is not running, so a guest cannot join it; start it first`, 'name');
      const found = domainOf(state, domain);
      const chosen = await macFor(state, await deps.guestFacts(state), mac);
      const result = await deps.run(runId, planAttachDomainNic(network, found.name, chosen, model));
      return {
        result, domain: found.name, mac: chosen, model, live: found.state !== 'shut off',
        detachCommand: shellCommand('kvmnet', 'detach', name, '--vm', found.name, '--mac', chosen),
      };
    },

    /** kvmnet detach --vm --mac: only a NIC of that domain that is on this network */
    async detachVm(runId: string, name: string, domain: string, mac: string): Promise<RunResult> {
      const state = await deps.readState();
      const network = find(name, state);
      const found = domainOf(state, domain);
      const wanted = normalizeMac(mac);
      const nic = domainNicsOn([found], nicSourceOf(network)).find((n) => n.mac === wanted);
      if (wanted === undefined || !nic) throw new KvmnetError('BAD_REQUEST', `${mac} is not a NIC of domain ${found.name} on network ${name}; KVMNet removes only NICs on the network named`, 'mac');
      return deps.run(runId, planDetachDomainNic(network, found.name, nic.mac as MacAddress));
    },

    async addForward(runId: string, name: string, text: { proto: string; hostPort: string; to: string; hostIp?: string | undefined }): Promise<GuestChange> {
      const state = await deps.readState();
      const hostIp = text.hostIp?.trim() ? text.hostIp : undefined;
      const prepared = await prepareForwardAdd(state, { network: name, ...text, hostIp }, PORT_FORWARD_FORM_LABELS);
      return change(runId, prepared, ({ forward, targetReserved }) => (targetReserved ? {} : { unreservedTarget: forward.to.ip }));
    },

    async removeForward(runId: string, name: string, key: { proto: string; hostPort: string; hostIp?: string | undefined }): Promise<GuestChange> {
      return change(runId, await prepareForwardRemove(await deps.readState(), { network: name, ...key }));
    },

    async reserve(runId: string, name: string, text: { mac: string; ip: string; host?: string | undefined }): Promise<GuestChange> {
      const host = text.host?.trim() ? text.host : undefined;
      return change(runId, await prepareReserve(await deps.readState(), { network: name, mac: text.mac, ip: text.ip, name: host }, RESERVATION_FORM_LABELS));
    },

    async unreserve(runId: string, name: string, mac: string): Promise<GuestChange> {
      return change(runId, await prepareUnreserve(await deps.readState(), { network: name, mac }));
    },
  };
}
