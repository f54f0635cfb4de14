/** How far `actual` is from `expected`: max |a-b|/(1+|b|), with where it happens. */
export interface Difference {
  readonly maxError: number;
  readonly worstIndex: number;
  readonly actual: number;
  readonly expected: number;
  readonly maxAbs: number;
}

/**
 * The running maximum of a comparison, fed element by element. Dividing by 1+|b| makes the
 * measure absolute for small values and relative for large ones; a NaN on either side is an
 * infinite error.
 */
class WorstDifference {
  maxError = 0;
  maxAbs = 0;
  worstIndex = 0;
  /** Where the worst element sits in `actual`, which a permuted comparison reads out of order. */
  worstSource = 0;

  add(a: number, b: number, index: number, source: number): void {
    const abs = Math.abs(a - b);
    // abs/(1+|b|) never exceeds abs, so an element whose abs is at most maxError cannot raise
    // it, nor maxAbs (maxError never exceeds maxAbs): only those pay for the division, which
    // was most of the comparison's time.
    if (abs > this.maxError) {
      const error = abs / (1 + Math.abs(b));
      if (error > this.maxError) {
        this.maxError = error;
        this.worstIndex = index;
        this.worstSource = source;
      }
      if (abs > this.maxAbs) this.maxAbs = abs;
    } else if (Number.isNaN(abs)) {
      if (this.maxError < Infinity) {
        this.maxError = Infinity;
        this.worstIndex = index;
        this.worstSource = source;
      }
      this.maxAbs = Infinity;
    }
  }

  result(actual: ArrayLike<number>, expected: ArrayLike<number>): Difference {
    const { maxError, worstIndex, maxAbs } = this;
    return { maxError, worstIndex, actual: actual[this.worstSource] as number, expected: expected[worstIndex] as number, maxAbs };
  }
}

/** A length mismatch: an infinite error, reporting the two lengths. */
function lengthMismatch(actual: number, expected: number): Difference {
  return { maxError: Infinity, worstIndex: -1, actual, expected, maxAbs: Infinity };
}

/** The project's parity measure (see WorstDifference); a length mismatch is an infinite error. */
export function compareArrays(actual: ArrayLike<number>, expected: ArrayLike<number>): Difference {
  if (actual.length !== expected.length) return lengthMismatch(actual.length, expected.length);
  const worst = new WorstDifference();
  for (let i = 0; i < actual.length; i++) worst.add(actual[i] as number, expected[i] as number, i, i);
  return worst.result(actual, expected);
}

/**
 * compareArrays of `actual`'s first `channels` channels, moved from NCHW ([n, c, h, w]) to
 * NHWC, against NHWC `expected`, without making that cropped and permuted copy: the copy and
 * the second pass over it were most of a per-layer comparison. Elements are met in NHWC order,
 * as compareArrays meets the copy's, so ties and NaNs pick the same index.
 */
export function compareNchwToNhwc(
  actual: Float32Array,
  shape: readonly [number, number, number, number],
  channels: number,
  expected: ArrayLike<number>,
): Difference {
  const [n, c, h, w] = shape;
  const length = n * channels * h * w;
  if (length !== expected.length) return lengthMismatch(length, expected.length);
  // Nothing to compare: what compareArrays reports for two empty arrays.
  if (length === 0) return compareArrays([], expected);
  const plane = h * w;
  const worst = new WorstDifference();
  let i = 0;
  for (let batch = 0; batch < n; batch++) {
    for (let pixel = 0; pixel < plane; pixel++) {
      let source = batch * c * plane + pixel;
      for (let channel = 0; channel < channels; channel++, i++, source += plane) worst.add(actual[source] as number, expected[i] as number, i, source);
    }
  }
  return worst.result(actual, expected);
}

export function describeDifference(where: string, d: Difference): string {
  if (d.worstIndex < 0) return `${where}: length ${d.actual} differs from expected ${d.expected}`;
  return `${where}: max |a-b|/(1+|b|) = ${d.maxError.toExponential(3)} at index ${d.worstIndex} (got ${d.actual}, expected ${d.expected})`;
}
