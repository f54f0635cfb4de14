import { broadcastShape } from './elementwise.js';
import { KernelError } from './kernel-error.js';
import type { Tensor } from './tensor.js';
import { forEachBroadcastRun } from '../../tensor.js';

/**
 * TFLite PRELU: x where x >= 0, alpha * x elsewhere, alpha broadcast onto the input (numpy
 * rules, aligned on the right; alpha never grows the input).
 */
export function prelu(input: Tensor, alpha: Tensor): Tensor {
  const shape = broadcastShape('PRELU', input.shape, alpha.shape);
  if (shape.join() !== input.shape.join()) {
    throw new KernelError('PRELU', `alpha [${alpha.shape.join(',')}] does not broadcast onto [${input.shape.join(',')}]`);
  }
  const x = input.data;
  const a = alpha.data;
  const out = new Float32Array(x.length);
  // Runs of outputs that step through x and alpha evenly (a pixel's channels, for a per-channel
  // alpha), instead of an odometer step per element.
  forEachBroadcastRun(input.shape, alpha.shape, shape, (o, pa, ia, pb, ib, n) => {
    for (const end = o + n; o < end; o++, pa += ia, pb += ib) {
      const v = x[pa]!;
      out[o] = v >= 0 ? v : v * a[pb]!;
    }
  });
  return { shape: [...shape], data: out };
}
