import { LimitError } from './errors.js';
import type { Shape } from './graph.js';
import { groupDigits } from './digits.js';

/**
 * How much a model may make the converter allocate. The defaults leave room for every model
 * of the family many times over (the largest tensor, full range's, holds 442,368 values) while
 * refusing a small file that declares a tensor of billions of values.
 */
export interface GraphLimits {
  /** Elements of any one tensor, declared or densified. */
  readonly maxElements: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = { maxElements: 2 ** 26 };

/** Element count of `shape`, refused as soon as the running product passes the limit (so it never overflows). */
export function checkedElementCount(shape: Shape, limits: GraphLimits, what: string, file: string): number {
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new LimitError(`${limits.maxElements} elements`, '--max-elements', `${what} has dimension ${d}`, file);
    count *= d;
    if (count > limits.maxElements) {
      throw new LimitError(`${groupDigits(limits.maxElements)} elements`, '--max-elements', `${what} declares shape [${shape.join(',')}]`, file);
    }
  }
  return count;
}
