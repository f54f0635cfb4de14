/** xorshift32: a small seeded stream of uint32s, the same on every machine (a zero seed counts as 1). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Seeded choices over xorshift32, for the fuzzers' cases. */
export class Random {
  readonly u32: () => number;

  constructor(seed: number) {
    this.u32 = xorshift32(seed);
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}
