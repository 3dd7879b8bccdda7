import type { Batch } from './batches';
import type { Step } from './protocol';
import { propagatingForwardingFamily, sysctlTarget } from './sysctl-key';

/**
 * How the batches of one journal group (journal-groups.ts) run: stage after stage, each stage one
 * or more lanes side by side, each lane its batches one after another.
 *
 * Only two kinds of work share a stage: a network's dnsmasq (starting or stopping it) beside the
 * firewall steps next to it (KVMNet's nftables table and the host-wide forwarding switches). They
 * touch disjoint things: dnsmasq binds the bridge's address (bind-dynamic) or lets go of it, and
 * reads only its own files; the table and the switches never name dnsmasq. So neither can make
 * the other fail, and their inverses, computed before the group ran, stay exact whichever ends
 * first. The order within the firewall lane is kept: the host never forwards for a bridge before
 * its rules exist, and on the way down forwarding goes off before the rules go. Link and address
 * changes, per-interface sysctls, records, the boot unit and everything else run alone, in plan
 * order, as before: dnsmasq still starts only once its bridge is up with its address, and a
 * network's record is written only once all of it runs.
 */
export type Stage = Batch[][];

function isFirewall(step: Step): boolean {
  if (step.op === 'nft.network') return true;
  const target = step.op === 'sysctl.set' ? sysctlTarget(step.key) : undefined;
  return target !== undefined && propagatingForwardingFamily(target) !== undefined;
}

const isDaemon = (step: Step): boolean => step.op === 'dnsmasq.start' || step.op === 'dnsmasq.stop';

type Kind = 'firewall' | 'daemon' | 'alone';
const kindOf = (batch: Batch, steps: readonly Step[]): Kind => {
  if (batch.kind === 'ip') return 'alone';
  const step = steps[batch.index]!;
  return isFirewall(step) ? 'firewall' : isDaemon(step) ? 'daemon' : 'alone';
};

export function stagesOf(group: readonly Batch[], steps: readonly Step[]): Stage[] {
  const stages: Stage[] = [];
  let firewall: Batch[] = [];
  let daemon: Batch | undefined;
  const close = () => {
    if (daemon && firewall.length > 0) stages.push([firewall, [daemon]]);
    else for (const batch of daemon ? [daemon] : firewall) stages.push([[batch]]);
    firewall = [];
    daemon = undefined;
  };
  for (const batch of group) {
    const kind = kindOf(batch, steps);
    if (kind === 'alone' || (kind === 'daemon' && daemon)) close();
    if (kind === 'alone') stages.push([[batch]]);
    else if (kind === 'daemon') daemon = batch;
    else firewall.push(batch);
  }
  close();
  return stages;
}
