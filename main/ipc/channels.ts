import { z } from 'zod';
import { HostSnapshot } from '../core/host-snapshot';
import { HostCounters } from '../core/host-counters';
import { PrivilegeState } from '../core/privilege-state';
import { DoctorView, FixOutcome, FixProgress, FixRequest } from '../core/doctor/doctor-view';
import {
  AutostartRequest, CreateRequest, DraftCheck, DraftPayload, ExportedScript, NetworkList, NetworkNameRequest, NetworkRunRequest,
  NetworkSnippets, PlanPreview, RunProgress, RunResult,
} from './network-channels';
import {
  BridgedCreateRequest, BridgedCreateResult, BridgedDeleteResult, BridgedEnded, BridgedList, BridgedNameRequest, BridgedPlanRequest, BridgedPreview,
  BridgedProgress, BridgedResolveResult, BridgedRunRequest,
} from './bridged-channels';
import {
  AttachedGuest, AttachedVm, AttachGuestRequest, AttachVmRequest, DetachGuestRequest, DetachVmRequest, ForwardAddRequest, ForwardRemoveRequest, GuestChange, GuestDetails, GuestOutputs,
  GuestOutputsRequest, ReservationAddRequest, ReservationRemoveRequest,
} from './guest-channels';

/**
 * Every IPC call and event between renderer and main, declared once.
 * The preload builds `window.kvmnet` from these names; main parses every payload with these schemas;
 * the renderer's types are inferred from them. Adding a capability means adding an entry here.
 */

const NoPayload = z.undefined();

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** the test transport is not the real app; the UI says so */
  transport: z.enum(['electron', 'test']),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** a diagram that shows rates starts (true) or stops (false) watching the links' counters */
export const WatchCountersRequest = z.object({ watching: z.boolean() }).strict();
export const CountersWatch = z.object({ intervalMs: z.number().int().positive() });

export const invokeChannels = {
  'app:info': { request: NoPayload, response: AppInfo },
  'host:snapshot': { request: NoPayload, response: HostSnapshot },
  'privilege:state': { request: NoPayload, response: PrivilegeState },
  /** asks for root once per session; resolves with the outcome, never throws for a refusal */
  'privilege:elevate': { request: NoPayload, response: PrivilegeState },
  /** runs the network doctor's checks (read-only) */
  'doctor:run': { request: NoPayload, response: DoctorView },
  /** applies the safe fix of one check through the helper; main looks it up in a fresh report */
  'doctor:fix': { request: FixRequest, response: FixOutcome },
  /** takes back a fix applied in this session, by the undo plan main kept */
  'doctor:undo': { request: FixRequest, response: FixOutcome },
  'networks:list': { request: NoPayload, response: NetworkList },
  /** field issues from the CLI's own validator, and the draft completed with this host's defaults */
  'networks:validate': { request: DraftPayload, response: DraftCheck },
  'networks:plan': { request: DraftPayload, response: PlanPreview },
  /** writes the plan as a shell script where the user chooses; path null when they cancelled */
  'networks:export-script': { request: DraftPayload, response: ExportedScript },
  /** changes resolve with how they ended (RunResult), and push networks:progress per step meanwhile */
  'networks:create': { request: CreateRequest, response: RunResult },
  'networks:delete': { request: NetworkRunRequest, response: RunResult },
  'networks:start': { request: NetworkRunRequest, response: RunResult },
  'networks:stop': { request: NetworkRunRequest, response: RunResult },
  'networks:autostart': { request: AutostartRequest, response: RunResult },
  'networks:attach-snippets': { request: NetworkNameRequest, response: NetworkSnippets },
  /** counted per renderer: main pushes host:counters to it while its count is above zero */
  'host:watch-counters': { request: WatchCountersRequest, response: CountersWatch },
  /** bridges to the LAN and the changes that wait for confirmation (kvmnet bridges) */
  'bridged:list': { request: NoPayload, response: BridgedList },
  /** the plan of a bridge to the LAN, or why the uplink cannot be bridged; nothing changes */
  'bridged:plan': { request: BridgedPlanRequest, response: BridgedPreview },
  /** applies and verifies, pushing bridged:progress; resolves once the change waits for Keep, or was rolled back */
  'bridged:create': { request: BridgedCreateRequest, response: BridgedCreateResult },
  /** "Keep this change" during the countdown */
  'bridged:confirm': { request: BridgedNameRequest, response: BridgedResolveResult },
  /** "Undo now" during the countdown */
  'bridged:rollback': { request: BridgedNameRequest, response: BridgedResolveResult },
  'bridged:delete': { request: BridgedRunRequest, response: BridgedDeleteResult },
  /** a KVMNet network's guest taps, leases, port forwards and reservations */
  'guests:details': { request: NetworkNameRequest, response: GuestDetails },
  /** virt-install, libvirt XML and qemu-ifup/ifdown for a new NIC (changes nothing) */
  'guests:outputs': { request: GuestOutputsRequest, response: GuestOutputs },
  /** makes a tap the desktop user owns and answers QEMU's arguments for it; progress on networks:progress */
  'guests:attach': { request: AttachGuestRequest, response: AttachedGuest },
  'guests:detach': { request: DetachGuestRequest, response: RunResult },
  /** adds a NIC on the network to a libvirt domain (kvmnet attach --vm); progress on networks:progress */
  'guests:attach-vm': { request: AttachVmRequest, response: AttachedVm },
  'guests:detach-vm': { request: DetachVmRequest, response: RunResult },
  'forwards:add': { request: ForwardAddRequest, response: GuestChange },
  'forwards:remove': { request: ForwardRemoveRequest, response: GuestChange },
  'reservations:add': { request: ReservationAddRequest, response: GuestChange },
  'reservations:remove': { request: ReservationRemoveRequest, response: GuestChange },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const eventChannels = {
  'host:changed': HostSnapshot,
  'privilege:changed': PrivilegeState,
  /** the doctor checked again after the host's network changed */
  'doctor:changed': DoctorView,
  'doctor:progress': FixProgress,
  'networks:progress': RunProgress,
  /** every few seconds to the renderers that watch counters (host:watch-counters), never otherwise */
  'host:counters': HostCounters,
  'bridged:progress': BridgedProgress,
  /** a bridge came, went, or its countdown started or ended */
  'bridged:changed': BridgedList,
  /** how a countdown ended: kept, undone, or rolled back at its deadline */
  'bridged:ended': BridgedEnded,
} as const satisfies Record<string, z.ZodType>;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
export type EventOf<E extends EventChannel> = z.output<(typeof eventChannels)[E]>;

export const isInvokeChannel = (c: unknown): c is InvokeChannel =>
  typeof c === 'string' && Object.hasOwn(invokeChannels, c);
export const isEventChannel = (c: unknown): c is EventChannel =>
  typeof c === 'string' && Object.hasOwn(eventChannels, c);

/** Errors cross the process boundary as data and are re-thrown as KvmnetError in the renderer. */
export const IpcErrorCode = z.enum(['BAD_REQUEST', 'FORBIDDEN_SENDER', 'UNKNOWN_CHANNEL', 'NOT_ELEVATED', 'HELPER', 'INTERNAL']);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;
export const IpcError = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The one object the preload exposes as `window.kvmnet`. */
export interface KvmnetBridge {
  invoke<C extends InvokeChannel>(channel: C, ...args: RequestOf<C> extends undefined ? [] : [RequestOf<C>]): Promise<IpcResult<ResponseOf<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
