import { z } from 'zod';
import { InterfaceName, NetworkName } from '../names';
import { UplinkAddressing } from './uplink-addressing';

/** what keeps the bridge: who will bring it back after a reboot, if anyone */
export const BridgedPersistence = z.enum(['networkmanager', 'systemd-networkd', 'runtime']);
export type BridgedPersistence = z.infer<typeof BridgedPersistence>;

/** a NetworkManager connection UUID */
export const Uuid = z.uuid();

/**
 * A bridge to the LAN as KVMNet made it, written before anything changes so that the helper can
 * tell the profiles KVMNet created (which it may delete) from the user's (which it may only
 * deactivate and reactivate), and so that delete brings the uplink back exactly.
 */
export const BridgedRecord = z.object({
  format: z.literal(1),
  name: NetworkName,
  uplink: InterfaceName,
  bridge: InterfaceName,
  persistence: BridgedPersistence,
  createdAt: z.string(),
  nm: z.object({
    bridgeUuid: Uuid,
    portUuid: Uuid,
    /** the user's own profile of the uplink: kept inactive for undo, never edited or deleted */
    uplinkProfile: z.object({ uuid: Uuid, id: z.string().max(256) }).strict(),
  }).strict().optional(),
  /** runtime and networkd: the uplink's addressing as it was, to put back on delete */
  addressing: UplinkAddressing.optional(),
}).strict().superRefine((r, ctx) => {
  if (r.persistence === 'networkmanager' && !r.nm) ctx.addIssue({ code: 'custom', path: ['nm'], message: 'a NetworkManager bridge needs its profile UUIDs' });
  if (r.persistence !== 'networkmanager' && !r.addressing) ctx.addIssue({ code: 'custom', path: ['addressing'], message: 'a runtime or networkd bridge needs the uplink addressing it replaced' });
});
export type BridgedRecord = z.infer<typeof BridgedRecord>;

/** the NetworkManager profiles KVMNet created for a record: the only ones it may delete */
export const createdProfiles = (record: BridgedRecord): string[] => (record.nm ? [record.nm.bridgeUuid, record.nm.portUuid] : []);
