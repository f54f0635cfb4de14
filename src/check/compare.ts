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
  if (length === 0 || length !== expected.length) return compareArrays(new Float32Array(length), expected);
  const plane = h * w;
  let maxError = 0;
  let maxAbs = 0;
  let worstIndex = 0;
  let worstSource = 0;
  let i = 0;
  for (let batch = 0; batch < n; batch++) {
    for (let pixel = 0; pixel < plane; pixel++) {
      let source = batch * c * plane + pixel;
      for (let channel = 0; channel < channels; channel++, i++, source += plane) {
        const a = actual[source] as number;
        const b = expected[i] as number;
        const abs = Math.abs(a - b);
        // The same skip as compareArrays: only an element that can raise maxError pays for the division.
        if (abs > maxError) {
          const error = abs / (1 + Math.abs(b));
          if (error > maxError) {
            maxError = error;
            worstIndex = i;
            worstSource = source;
          }
          if (abs > maxAbs) maxAbs = abs;
        } else if (Number.isNaN(abs)) {
          if (maxError < Infinity) {
            maxError = Infinity;
            worstIndex = i;
            worstSource = source;
          }
          maxAbs = Infinity;
        }
      }
    }
  }
  return { maxError, worstIndex, actual: actual[worstSource] as number, expected: expected[worstIndex] as number, maxAbs };
}

export function describeDifference(where: string, d: Difference): string {
  if (d.worstIndex < 0) return `${where}: length ${d.actual} differs from expected ${d.expected}`;
  return `${where}: max |a-b|/(1+|b|) = ${d.maxError.toExponential(3)} at index ${d.worstIndex} (got ${d.actual}, expected ${d.expected})`;
}
