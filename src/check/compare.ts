/** How far `actual` is from `expected`: max |a-b|/(1+|b|), with where it happens. */
export interface Difference {
  readonly maxError: number;
  readonly worstIndex: number;
  readonly actual: number;
  readonly expected: number;
  readonly maxAbs: number;
}

/**
 * The project's parity measure. Dividing by 1+|b| makes it absolute for small values and
 * relative for large ones. A NaN on either side, or a length mismatch, is an infinite error.
 */
export function compareArrays(actual: ArrayLike<number>, expected: ArrayLike<number>): Difference {
  if (actual.length !== expected.length) return { maxError: Infinity, worstIndex: -1, actual: actual.length, expected: expected.length, maxAbs: Infinity };
  let maxError = 0;
  let maxAbs = 0;
  let worstIndex = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    const abs = Math.abs(a - b);
    // abs/(1+|b|) never exceeds abs, so an element whose abs is at most maxError cannot raise
    // it, nor maxAbs (maxError never exceeds maxAbs): only those pay for the division, which
    // was most of the comparison's time.
    if (abs > maxError) {
      const error = abs / (1 + Math.abs(b));
      if (error > maxError) {
        maxError = error;
        worstIndex = i;
      }
      if (abs > maxAbs) maxAbs = abs;
    } else if (Number.isNaN(abs)) {
      if (maxError < Infinity) {
        maxError = Infinity;
        worstIndex = i;
      }
      maxAbs = Infinity;
    }
  }
  return { maxError, worstIndex, actual: actual[worstIndex] as number, expected: expected[worstIndex] as number, maxAbs };
}

export function describeDifference(where: string, d: Difference): string {
  if (d.worstIndex < 0) return `${where}: length ${d.actual} differs from expected ${d.expected}`;
  return `${where}: max |a-b|/(1+|b|) = ${d.maxError.toExponential(3)} at index ${d.worstIndex} (got ${d.actual}, expected ${d.expected})`;
}
