import { broadcastShape } from './elementwise.js';
import { KernelError } from './kernel-error.js';
import { strides, type Tensor } from './tensor.js';

/**
 * TFLite PRELU: x where x >= 0, alpha * x elsewhere, alpha broadcast onto the input (numpy
 * rules, aligned on the right; alpha never grows the input).
 */
export function prelu(input: Tensor, alpha: Tensor): Tensor {
  const shape = broadcastShape('PRELU', input.shape, alpha.shape);
  if (shape.join() !== input.shape.join()) {
    throw new KernelError('PRELU', `alpha [${alpha.shape.join(',')}] does not broadcast onto [${input.shape.join(',')}]`);
  }
  const rank = shape.length;
  const own = strides(alpha.shape);
  // Alpha's stride along each input axis, 0 where it broadcasts.
  const step = shape.map((_, axis) => {
    const a = axis - (rank - alpha.shape.length);
    return a >= 0 && alpha.shape[a] !== 1 ? own[a]! : 0;
  });
  const x = input.data;
  const out = new Float32Array(x.length);
  const index = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v >= 0 ? v : v * alpha.data[at]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      at += step[axis]!;
      if (index[axis]! < shape[axis]!) break;
      at -= step[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return { shape: [...shape], data: out };
}
