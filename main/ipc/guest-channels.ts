import { z } from 'zod';
import { DomainName } from '../core/attach/domain-name';
import { NicModel } from '../core/attach/nic-model';
import { NetworkForward } from '../core/attach/port-forward';
import { NetworkReservation } from '../core/attach/reservation';
import { InterfaceName, NetworkName } from '../core/names';
import { DhcpLease } from '../host/parse-dhcp-leases';
import { FieldIssue, RunId, RunResult } from './network-channels';

/**
 * Payloads of the guest channels: putting guests on a network (taps, the lines to paste), their
 * leases, port forwards and DHCP reservations. Kept apart from channels.ts, as network-channels.ts is.
 * Text fields the user types (ports, addresses, MACs) travel as text: the CLI's own parsers read
 * them in main, so a mistake comes back as a field issue worded as the CLI words it.
 */

/** what the user types in a form field; bounded so no payload is unreasonably large */
const Typed = z.string().max(200);

/** a tap KVMNet made for a guest on the network */
export const GuestTap = z.object({
  name: z.string(),
  /** the uid allowed to open it (QEMU runs as that user) */
  ownerUid: z.number().int().nullable(),
  up: z.boolean(),
});
export type GuestTap = z.infer<typeof GuestTap>;

/** a libvirt domain's NIC on the network (kvmnet attach --vm added it, or virt-manager, or virsh) */
export const GuestVmNic = z.object({
  domain: z.string(),
  state: z.string(),
  mac: z.string(),
  model: z.string().nullable(),
});
export type GuestVmNic = z.infer<typeof GuestVmNic>;

/**
 * Everything about the network's guests that the detail page shows. forwards is null where port
 * forwards do not apply (not a nat network); reservations and leases are null where the network
 * serves no DHCP; all three are null on a libvirt network KVMNet did not create.
 */
export const GuestDetails = z.object({
  network: z.string(),
  running: z.boolean(),
  taps: z.array(GuestTap),
  vmNics: z.array(GuestVmNic),
  leases: z.array(DhcpLease).nullable(),
  forwards: z.array(NetworkForward).nullable(),
  reservations: z.array(NetworkReservation).nullable(),
});
export type GuestDetails = z.infer<typeof GuestDetails>;

export const GuestOutputsRequest = z.object({ name: NetworkName, model: NicModel, mac: Typed.optional() }).strict();

/** a script QEMU runs itself (script=/downscript=), and where KVMNet suggests to keep it */
const GuestScript = z.object({ name: z.string(), script: z.string() });

/** the ways to plug a guest in that change nothing on the host, all with one MAC */
export const GuestOutputs = z.object({
  mac: z.string(),
  model: NicModel,
  virtInstall: z.string(),
  libvirtXml: z.string(),
  /** null when the network has no bridge yet (a libvirt network never started) */
  qemuIfup: GuestScript.nullable(),
  qemuIfdown: GuestScript.nullable(),
  /** the tap the QEMU way would make: the next free kvt-<network>-N */
  nextTap: z.string().nullable(),
  /** the libvirt domains a NIC can be added to, or why there are none to offer (libvirt not answering) */
  domains: z.object({ names: z.array(z.object({ name: z.string(), state: z.string() })), unavailable: z.string().optional() }),
});
export type GuestOutputs = z.infer<typeof GuestOutputs>;

export const AttachGuestRequest = z.object({ runId: RunId, name: NetworkName, model: NicModel, mac: Typed.optional() }).strict();

export const AttachedGuest = z.object({
  result: RunResult,
  tap: z.string(),
  ownerUid: z.number().int(),
  mac: z.string(),
  model: NicModel,
  vhost: z.boolean(),
  /** QEMU's -netdev/-device arguments for the tap: an array, one line, and one option a line (continued with "\\") */
  qemu: z.object({ argv: z.array(z.string()), shell: z.string(), lines: z.string() }),
  /** the CLI command that removes the tap again */
  detachCommand: z.string(),
});
export type AttachedGuest = z.infer<typeof AttachedGuest>;

export const AttachVmRequest = z.object({ runId: RunId, name: NetworkName, domain: DomainName, model: NicModel, mac: Typed.optional() }).strict();

export const AttachedVm = z.object({
  result: RunResult,
  domain: z.string(),
  mac: z.string(),
  model: NicModel,
  /** the domain runs, so the NIC went into the running guest as well as its configuration */
  live: z.boolean(),
  /** the CLI command that removes the NIC again */
  detachCommand: z.string(),
});
export type AttachedVm = z.infer<typeof AttachedVm>;

export const DetachVmRequest = z.object({ runId: RunId, name: NetworkName, domain: DomainName, mac: Typed }).strict();

export const DetachGuestRequest = z.object({ runId: RunId, name: NetworkName, tap: InterfaceName }).strict();

export const ForwardAddRequest = z.object({
  runId: RunId,
  name: NetworkName,
  proto: Typed,
  hostPort: Typed,
  to: Typed,
  hostIp: Typed.optional(),
}).strict();

export const ForwardRemoveRequest = z.object({ runId: RunId, name: NetworkName, proto: Typed, hostPort: Typed, hostIp: Typed.optional() }).strict();

export const ReservationAddRequest = z.object({ runId: RunId, name: NetworkName, mac: Typed, ip: Typed, host: Typed.optional() }).strict();

export const ReservationRemoveRequest = z.object({ runId: RunId, name: NetworkName, mac: Typed }).strict();

/**
 * How a change of forwards or reservations ended: the problems with the form (nothing ran), or
 * the run's result. unreservedTarget: a forward went to this address, which no reservation keeps
 * (a DHCP address can pass to another guest).
 */
export const GuestChange = z.object({
  issues: z.array(FieldIssue),
  result: RunResult.nullable(),
  unreservedTarget: z.string().optional(),
});
export type GuestChange = z.infer<typeof GuestChange>;
