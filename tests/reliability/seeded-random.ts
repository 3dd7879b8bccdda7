/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine, so a
 * failing run is reproduced by setting its printed seed.
 */
export interface Random {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** an integer in [min, max] */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!,
    chance: (p: number) => next() < p,
  };
}

/** the seed from the environment variable `name` when set (to reproduce a run), else a fresh one; printed either way */
export function seedFrom(name: string, what: string): number {
  const given = process.env[name];
  const seed = given !== undefined && given !== '' ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`${name}=${given} is not an integer seed`);
  console.log(`${what}: seed ${seed} (reproduce with ${name}=${seed})`);
  return seed;
}
