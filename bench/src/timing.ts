/**
 * Clock and statistics for the benchmarks. Times come from `process.hrtime.bigint()`
 * (nanoseconds, monotonic), and every figure is a median: the machine is shared, so means
 * would carry whatever else ran at the time.
 */

/** Runs `fn` once and returns its result with the elapsed milliseconds. */
export function timed<T>(fn: () => T): { readonly value: T; readonly ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

export interface Summary {
  readonly runs: number;
  readonly medianMs: number;
  /** 10th and 90th percentiles: how wide the spread was. */
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly minMs: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => {
    if (sorted.length === 0) return Number.NaN;
    const position = q * (sorted.length - 1);
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
  };
  return { runs: sorted.length, medianMs: at(0.5), p10Ms: at(0.1), p90Ms: at(0.9), minMs: sorted[0] ?? Number.NaN };
}

/** Something to time: one call of `run` is one sample. */
export interface Contender {
  readonly name: string;
  run(): unknown;
}

export interface InterleaveOptions {
  /** Untimed rounds first, so every side is compiled, allocated and cached. */
  readonly warmup: number;
  readonly runs: number;
}

/**
 * Times the contenders against each other: each round runs every contender once, and the
 * starting contender rotates from round to round, so a slow spell of the machine or a cache
 * left warm by the previous call falls on every side alike.
 */
export async function interleave(contenders: readonly Contender[], options: InterleaveOptions): Promise<Map<string, Summary>> {
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.warmup + options.runs; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length;
      const start = process.hrtime.bigint();
      await contenders[index]?.run();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (round >= options.warmup) samples[index]?.push(ms);
    }
  }
  return new Map(contenders.map((c, i) => [c.name, summarize(samples[i] ?? [])]));
}
