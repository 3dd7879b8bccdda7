import { z } from 'zod';

/**
 * What the network doctor reports: one entry per check, in a fixed order. This is the JSON that
 * `kvmnet doctor --json` prints and the app shows, so its shape only grows.
 */

export const CHECK_IDS = [
  'kvm-device',
  'tun-device',
  'vhost-net',
  'libvirt-reachable',
  'ip-forward',
  'forward-policy-drop',
  'br-netfilter',
  'firewall-backend',
  'subnet-overlap',
  'duplicate-mac',
  'nm-managed-tap',
  'dnsmasq-running',
  'bridge-wireless-uplink',
  'proxy-arp',
] as const;
export const CheckId = z.enum(CHECK_IDS);
export type CheckId = z.infer<typeof CheckId>;

/** ok: nothing to do; warn: works, but slower, fragile or unverifiable; fail: something is broken now */
export const CheckStatus = z.enum(['ok', 'warn', 'fail']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const Fix = z
  .object({
    description: z.string().min(1),
    /** exact shell commands, each word quoted for a POSIX shell, to run in order (as root where they change the host) */
    commands: z.array(z.string().min(1)).min(1),
    /**
     * true when the fix only flips a runtime switch or touches what KVMNet owns, and `undo`
     * reverses it completely; false when it changes another program's firewall, a user's groups
     * or the host's connectivity, which the user should confirm first
     */
    safe: z.boolean(),
    /** how to take the fix back, in words with the exact commands */
    undo: z.string().min(1),
  })
  .strict();
export type Fix = z.infer<typeof Fix>;

export const Check = z
  .object({
    id: CheckId,
    status: CheckStatus,
    /** one line: what is wrong or that all is well */
    summary: z.string().min(1),
    /** why it matters, in one or two sentences a desktop user follows */
    detail: z.string().min(1),
    fix: Fix.optional(),
  })
  .strict();
export type Check = z.infer<typeof Check>;

export const DoctorReport = z.object({ checks: z.array(Check) }).strict();
export type DoctorReport = z.infer<typeof DoctorReport>;
