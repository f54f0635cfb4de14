/** Unary activations, and clip: min(max(x, alpha), beta). */
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { floatTensor } from '../tensor.js';

function unary(f: (v: number) => number): MilOpExecutor {
  return (_ctx, p) => {
    p.only(['x']);
    const x = p.float('x');
    return [floatTensor(x.dtype, x.shape, x.data.map(f))];
  };
}

export const relu = unary((v) => (v > 0 ? v : v === 0 || v < 0 ? 0 : v));
export const sigmoid = unary((v) => 1 / (1 + Math.exp(-v)));
export const tanh = unary(Math.tanh);
export const abs = unary(Math.abs);

export const clip: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'alpha', 'beta']);
  const x = p.float('x');
  const alpha = p.floatScalar('alpha', x.dtype);
  const beta = p.floatScalar('beta', x.dtype);
  if (!(alpha <= beta)) throw opError(ctx, 'beta', `must be at least alpha (${alpha}), got ${beta}`);
  return [
    floatTensor(
      x.dtype,
      x.shape,
      x.data.map((v) => Math.min(Math.max(v, alpha), beta)),
    ),
  ];
};
