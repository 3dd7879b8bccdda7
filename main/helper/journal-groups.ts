import type { Batch } from './batches';
import type { Step } from './protocol';
import { sysctlTarget } from './sysctl-key';

/**
 * Which consecutive batches share one journal write: the inverses of a whole group are computed
 * and made durable before its first step runs, then its batches run one after another with no
 * write in between. Crash safety holds because every entry is on disk before its step runs, and
 * every undo is an "ensure" of a state (reconciled against the host before acting): recovering a
 * journal whose last group was cut short also undoes steps of it that never ran, which finds
 * their state already as recorded and changes nothing.
 *
 * An inverse computed ahead must be the one that would have been read just before its step. So a
 * group holds only steps whose inverses the earlier steps of the group cannot change:
 * - link and address steps: their inverses come from the simulated link state anyway;
 * - a link.delete opens a new group: its inverse captures what only the kernel knows (MAC, MTU,
 *   per-interface sysctls), read after the steps before it ran;
 * - sysctl writes, at most one per address family (ip_forward's inverse reads every interface's
 *   forwarding flag of its family);
 * - the host steps named below, at most one of each family (nft, dnsmasq, record, boot): each
 *   reads only its own files or process. Any other host step (libvirt, and any family added later)
 *   stands alone, journaled just before it runs, as every step used to be.
 */
const GROUPED_HOST_FAMILY: Partial<Record<Step['op'], string>> = {
  'nft.network': 'nft',
  'dnsmasq.start': 'dnsmasq',
  'dnsmasq.stop': 'dnsmasq',
  'record.write': 'record',
  'record.delete': 'record',
  'boot.unit': 'boot',
};

/** host steps that leave links and their sysctls alone, so the simulated links stay the kernel's */
export const leavesLinksAlone = (step: Step): boolean => GROUPED_HOST_FAMILY[step.op] !== undefined;

const indicesOf = (batch: Batch): number[] => (batch.kind === 'ip' ? batch.indices : [batch.index]);

/** what a batch claims in its group; undefined when it must stand alone */
function claims(batch: Batch, steps: readonly Step[]): string[] | undefined {
  if (batch.kind === 'ip') return [];
  const step = steps[batch.index]!;
  if (step.op === 'sysctl.set') return [`sysctl:${sysctlTarget(step.key)?.family ?? step.key}`];
  const family = GROUPED_HOST_FAMILY[step.op];
  return family === undefined ? undefined : [family];
}

export function journalGroups(batches: readonly Batch[], steps: readonly Step[]): Batch[][] {
  const groups: Batch[][] = [];
  let current: Batch[] = [];
  let claimed = new Set<string>();
  const close = () => {
    if (current.length > 0) groups.push(current);
    current = [];
    claimed = new Set();
  };
  for (const batch of batches) {
    const claim = claims(batch, steps);
    if (claim === undefined) {
      close();
      groups.push([batch]);
      continue;
    }
    const deletes = indicesOf(batch).some((i) => steps[i]!.op === 'link.delete');
    if (deletes || claim.some((c) => claimed.has(c))) close();
    current.push(batch);
    for (const c of claim) claimed.add(c);
  }
  close();
  return groups;
}
