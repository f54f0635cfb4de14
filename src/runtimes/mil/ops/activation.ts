/**
 * Unary activations, and clip: min(max(x, alpha), beta). One plain loop per function: they run on
 * every activation of a program, where a call per element would cost more than the arithmetic.
 */
import { relu as reluData } from '../../tensor.js';
import { opError, type Params } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import type { FloatTensor } from '../tensor.js';

/** The op's one float input and a zero-filled output of its type and shape. */
function unaryOperands(p: Params): [FloatTensor, FloatTensor] {
  p.only(['x']);
  const x = p.float('x');
  return [x, p.output(x.dtype, x.shape)];
}

/** max(0, x): negative values and -0 give +0, a NaN stays NaN. */
export const relu: MilOpExecutor = (_ctx, p) => {
  const [x, out] = unaryOperands(p);
  reluData(x.data, 'keep', out.data);
  return [out];
};

export const sigmoid: MilOpExecutor = (_ctx, p) => {
  const [x, out] = unaryOperands(p);
  const a = x.data;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = 1 / (1 + Math.exp(-a[i]!));
  return [out];
};

export const tanh: MilOpExecutor = (_ctx, p) => {
  const [x, out] = unaryOperands(p);
  const a = x.data;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = Math.tanh(a[i]!);
  return [out];
};

export const abs: MilOpExecutor = (_ctx, p) => {
  const [x, out] = unaryOperands(p);
  const a = x.data;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = Math.abs(a[i]!);
  return [out];
};

export const clip: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'alpha', 'beta']);
  const x = p.float('x');
  const alpha = p.floatScalar('alpha', x.dtype);
  const beta = p.floatScalar('beta', x.dtype);
  if (!(alpha <= beta)) throw opError(ctx, 'beta', `must be at least alpha (${alpha}), got ${beta}`);
  const out = p.output(x.dtype, x.shape);
  const a = x.data;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = Math.min(Math.max(a[i]!, alpha), beta);
  return [out];
};
