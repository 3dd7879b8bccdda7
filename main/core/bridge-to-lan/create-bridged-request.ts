import { z } from 'zod';
import { InterfaceName, NetworkName } from '../names';

export const DEFAULT_CONFIRM_TIMEOUT_S = 60;

/** What a bridge to the LAN is made from, for the CLI and the app's IPC alike (pure: the preload bundles it). */
export const CreateBridgedRequest = z.object({
  name: NetworkName,
  uplink: InterfaceName,
  /** default br-<name>, cut to the kernel's 15 bytes */
  bridge: InterfaceName.optional(),
  confirmTimeoutSeconds: z.number().int().min(15, 'give yourself at least 15 s to confirm').max(3600, 'at most 3600 s (one hour)').default(DEFAULT_CONFIRM_TIMEOUT_S),
}).strict();
export type CreateBridgedRequest = z.input<typeof CreateBridgedRequest>;
