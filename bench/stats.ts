/** Order statistics of timing samples (ms); nearest rank, so every figure is a real sample. */
export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

function rank(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, median: rank(sorted, 0.5), p90: rank(sorted, 0.9), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
