import type { Step } from './protocol';

/**
 * How a plan runs: consecutive link and address steps share one `ip -batch` process; each sysctl
 * write stands alone. A link.delete opens a new batch so that what its inverse captures (MAC,
 * MTU, sysctls, ports) is read from the kernel rather than from the simulation.
 */
export type Batch = { kind: 'ip'; indices: number[] } | { kind: 'sysctl'; index: number };

export function planBatches(steps: readonly Step[]): Batch[] {
  const batches: Batch[] = [];
  let current: number[] = [];
  const close = () => {
    if (current.length > 0) batches.push({ kind: 'ip', indices: current });
    current = [];
  };
  steps.forEach((step, index) => {
    if (step.op === 'sysctl.set') {
      close();
      batches.push({ kind: 'sysctl', index });
      return;
    }
    if (step.op === 'link.delete') close();
    current.push(index);
  });
  close();
  return batches;
}
