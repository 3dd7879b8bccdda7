import { z } from 'zod';

/** How the session got (or failed to get) its root helper; shown in the status bar. */
export const ElevationMethod = z.enum(['root', 'pkexec', 'sudo-prompt']);
export type ElevationMethod = z.infer<typeof ElevationMethod>;

export const RefusalReason = z.enum([
  'dismissed', // the user closed the authentication dialog (pkexec 126, sudo-prompt "User did not grant permission")
  'not-authorized', // polkit said no, or no authentication agent is running (pkexec 127)
  'helper-crashed', // the helper started but died or answered nonsense
  'unavailable', // neither pkexec nor sudo-prompt can run here
]);
export type RefusalReason = z.infer<typeof RefusalReason>;

export const PrivilegeState = z.discriminatedUnion('status', [
  z.object({ status: z.literal('read-only') }),
  z.object({ status: z.literal('elevating'), method: ElevationMethod }),
  z.object({ status: z.literal('elevated'), method: ElevationMethod, helperPid: z.number().int() }),
  z.object({ status: z.literal('refused'), reason: RefusalReason, message: z.string() }),
]);
export type PrivilegeState = z.infer<typeof PrivilegeState>;
