import type { Batch } from './batches';
import type { Step } from './protocol';
import { propagatingForwardingFamily, sysctlTarget } from './sysctl-key';

/**
 * How the batches of one journal group (journal-groups.ts) run: stage after stage, each stage one
 * or more lanes side by side, each lane its batches one after another.
 *
 * A stage holds at most two lanes, which touch disjoint things:
 * - the firewall lane: KVMNet's nftables table and the host-wide forwarding switches, in plan
 *   order (the host never forwards for a bridge before its rules exist, and on the way down
 *   forwarding goes off before the rules go);
 * - the network lane: link and address changes (`ip -batch`, a bridge brought up), per-interface
 *   sysctls and the network's dnsmasq, in plan order, so dnsmasq still starts only once its bridge
 *   is up with its address.
 * The rules name interfaces by name (iifname/oifname), so loading them needs no link to exist;
 * dnsmasq binds the bridge's address (bind-dynamic) and reads only its own files. So neither lane
 * can make the other fail, and their inverses, computed before the group ran, stay exact
 * whichever ends first. The one thing both could write is an interface's forwarding flag (a
 * forwarding switch copies itself to every interface of its family), but a journal group holds
 * at most one sysctl write per family, so a flag and the switch of its family never meet in a
 * stage. Records, the boot unit and every other step run alone, in plan order, as before: a
 * network's record is written only once all of it runs.
 */
export type Stage = Batch[][];

type Lane = 'firewall' | 'network' | 'alone';

function laneOf(batch: Batch, steps: readonly Step[]): Lane {
  if (batch.kind === 'ip') return 'network';
  const step = steps[batch.index]!;
  if (step.op === 'nft.network') return 'firewall';
  if (step.op === 'dnsmasq.start' || step.op === 'dnsmasq.stop') return 'network';
  const target = step.op === 'sysctl.set' ? sysctlTarget(step.key) : undefined;
  if (!target) return 'alone';
  if (propagatingForwardingFamily(target)) return 'firewall';
  return target.iface === undefined ? 'alone' : 'network';
}

export function stagesOf(group: readonly Batch[], steps: readonly Step[]): Stage[] {
  const stages: Stage[] = [];
  const lanes: Record<Exclude<Lane, 'alone'>, Batch[]> = { firewall: [], network: [] };
  const close = () => {
    if (lanes.firewall.length > 0 && lanes.network.length > 0) stages.push([lanes.firewall, lanes.network]);
    // a lane alone runs batch after batch, as stages of their own
    else for (const batch of [...lanes.firewall, ...lanes.network]) stages.push([[batch]]);
    lanes.firewall = [];
    lanes.network = [];
  };
  for (const batch of group) {
    const lane = laneOf(batch, steps);
    if (lane === 'alone') {
      close();
      stages.push([[batch]]);
    } else {
      lanes[lane].push(batch);
    }
  }
  close();
  return stages;
}
