import { z } from 'zod';
import { BridgedRecord, BridgedPersistence, Uuid } from './bridged-record';
import { InterfaceName, NetworkName } from '../names';

/**
 * The steps that bridge the user's uplink to the LAN and undo it: NetworkManager checkpoints and
 * profiles, the runtime move of the uplink's addressing, and KVMNet's record of the bridge. They
 * also make up the commit and rollback of a change waiting for confirmation, hence a union of
 * their own (a pending change carries them; it cannot carry itself).
 */


/** the nmcli settings a KVMNet bridge or port profile may carry: nothing that runs scripts, stores secrets or names other profiles */
export const NM_SETTING_KEY = /^(connection\.(autoconnect|autoconnect-slaves|autoconnect-priority|master|slave-type)|bridge\.(stp|forward-delay)|802-3-ethernet\.(cloned-mac-address|mtu)|ipv4\.(method|addresses|gateway|dns|dns-search|routes|route-metric|never-default|ignore-auto-dns|ignore-auto-routes|may-fail|dhcp-client-id|dhcp-hostname)|ipv6\.(method|addresses|gateway|dns|dns-search|routes|route-metric|never-default|ignore-auto-dns|ignore-auto-routes|may-fail|addr-gen-mode))$/;

export const NmSetting = z.tuple([
  z.string().regex(NM_SETTING_KEY, { message: 'not a setting KVMNet puts on a bridge or port profile' }),
  z.string().max(2048).regex(/^[^\n\r\0]*$/, { message: 'a setting value is one line' })
    // nmcli could read a value starting with '-' as an option; a negative number (autoconnect-priority) is one
    .regex(/^(?!-(?!\d+$))/, { message: 'a setting value cannot start with - (unless it is a negative number)' }),
]);

export const BridgedStep = z.union([
  /** a NetworkManager checkpoint of these devices that NM itself rolls back after timeoutSeconds; its D-Bus path is kept under /run/kvmnet */
  z.object({ op: z.literal('nm.checkpoint.create'), network: NetworkName, devices: z.array(InterfaceName).min(1).max(8), timeoutSeconds: z.number().int().min(5).max(3600) }).strict(),
  z.object({ op: z.literal('nm.checkpoint.rollback'), network: NetworkName }).strict(),
  /** commits: NetworkManager forgets the checkpoint and will not roll back */
  z.object({ op: z.literal('nm.checkpoint.destroy'), network: NetworkName }).strict(),
  /** only a UUID the network's record lists as KVMNet's */
  z.object({
    op: z.literal('nm.connection.add'), network: NetworkName, uuid: Uuid, type: z.enum(['bridge', 'ethernet']),
    id: z.string().min(1).max(128).regex(/^kvmnet-[A-Za-z0-9_.-]+$/, { message: 'KVMNet profiles are named kvmnet-…' }),
    ifname: InterfaceName,
    // nmcli applies the last of a repeated setting, while checks read the first
    settings: z.array(NmSetting).max(64).refine((s) => new Set(s.map(([key]) => key)).size === s.length, { message: 'each setting may be given once' }),
  }).strict(),
  /** KVMNet's profiles, or the uplink profile the record names */
  z.object({ op: z.literal('nm.connection.up'), network: NetworkName, uuid: Uuid, device: InterfaceName }).strict(),
  z.object({ op: z.literal('nm.connection.down'), network: NetworkName, uuid: Uuid, device: InterfaceName }).strict(),
  /** KVMNet's profiles only: the user's profile is never deleted */
  z.object({ op: z.literal('nm.connection.delete'), network: NetworkName, uuid: Uuid }).strict(),
  /** without NetworkManager: a new bridge takes the uplink's MAC, addresses and routes, and the uplink becomes its port */
  z.object({ op: z.literal('uplink.bridge'), network: NetworkName, uplink: InterfaceName, bridge: InterfaceName }).strict(),
  /** the reverse: the uplink gets back what the bridge carries, and the bridge goes */
  z.object({ op: z.literal('uplink.unbridge'), network: NetworkName, uplink: InterfaceName, bridge: InterfaceName }).strict(),
  /**
   * systemd-networkd: KVMNet's own 10-kvmnet-* files in /etc/systemd/network, rendered by the helper
   * from the uplink's .network (never text from the client), then `networkctl reload`; the user's file stays as it is
   */
  z.object({ op: z.literal('networkd.bridge'), network: NetworkName, uplink: InterfaceName, bridge: InterfaceName }).strict(),
  /** the reverse: KVMNet's files go, the bridge goes, the user's .network takes the uplink again */
  z.object({ op: z.literal('networkd.unbridge'), network: NetworkName, uplink: InterfaceName, bridge: InterfaceName }).strict(),
  /** the record of a bridge to the LAN; null removes it */
  z.object({ op: z.literal('bridged.record'), network: NetworkName, persistent: z.boolean(), record: BridgedRecord.nullable() }).strict(),
]);
export type BridgedStep = z.infer<typeof BridgedStep>;

export const APPLY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A change that cut over the host's LAN connection and waits for the user to say it works
 * (`kvmnet confirm`, the app's countdown). Whoever finds it past its deadline (the timer process,
 * a helper starting later) runs the rollback; a confirmation runs the commit. Written to
 * /run/kvmnet/pending/<network>.json, readable by the unprivileged app and CLI.
 */
export const PendingChange = z.object({
  format: z.literal(1),
  network: NetworkName,
  /** tells this change from a later one of the same network */
  armId: z.string().regex(APPLY_ID_PATTERN),
  action: z.enum(['create', 'delete']),
  persistence: BridgedPersistence,
  uplink: InterfaceName,
  bridge: InterfaceName,
  createdAt: z.string().datetime(),
  deadline: z.string().datetime(),
  rollback: z.array(BridgedStep).max(32),
  commit: z.array(BridgedStep).max(32),
}).strict();
export type PendingChange = z.infer<typeof PendingChange>;

export const PendingStep = z.union([
  /** writes the pending change and starts the timer process that rolls it back at its deadline */
  z.object({ op: z.literal('pending.arm'), pending: PendingChange }).strict(),
  /** takes the pending change away so that no one else commits or rolls it back; fails when it is gone or another */
  z.object({ op: z.literal('pending.claim'), network: NetworkName, armId: z.string().regex(APPLY_ID_PATTERN) }).strict(),
  /** the last step of a confirmation or rollback: says how the change ended, for whoever waits on it in another process */
  z.object({ op: z.literal('pending.outcome'), network: NetworkName, armId: z.string().regex(APPLY_ID_PATTERN), outcome: z.enum(['confirmed', 'rolled-back']) }).strict(),
]);

/** /run/kvmnet/pending/<network>.outcome.json */
export const PendingOutcome = z.object({ armId: z.string().regex(APPLY_ID_PATTERN), outcome: z.enum(['confirmed', 'rolled-back']), at: z.string() }).strict();
export type PendingOutcome = z.infer<typeof PendingOutcome>;
