import { isHostStep } from './ops/op';
import type { Step } from './protocol';

/**
 * How a plan runs: consecutive link and address steps share one `ip -batch` process; a sysctl
 * write and each host step (nft, dnsmasq, libvirt, files) stand alone. A link.delete opens a new
 * batch so that what its inverse captures (MAC, MTU, sysctls, ports) is read from the kernel
 * rather than from the simulation.
 */
export type Batch = { kind: 'ip'; indices: number[] } | { kind: 'single'; index: number };

export function planBatches(steps: readonly Step[]): Batch[] {
  const batches: Batch[] = [];
  let current: number[] = [];
  const close = () => {
    if (current.length > 0) batches.push({ kind: 'ip', indices: current });
    current = [];
  };
  steps.forEach((step, index) => {
    if (step.op === 'sysctl.set' || isHostStep(step)) {
      close();
      batches.push({ kind: 'single', index });
      return;
    }
    if (step.op === 'link.delete') close();
    current.push(index);
  });
  close();
  return batches;
}
