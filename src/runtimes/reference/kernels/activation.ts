import type { Tensor } from './tensor.js';
import { relu as reluData } from '../../tensor.js';

/** TFLite's `x > 0 ? x : 0`, so a NaN becomes 0. `out` may be the input's own data. */
export function relu(input: Tensor, out: Float32Array = new Float32Array(input.data.length)): Tensor {
  return { shape: [...input.shape], data: reluData(input.data, 'zero', out) };
}

/** TFLite's `x > 0 ? (x < 6 ? x : 6) : 0`. `out` may be the input's own data. */
export function relu6(input: Tensor, out: Float32Array = new Float32Array(input.data.length)): Tensor {
  const x = input.data;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? (v < 6 ? v : 6) : 0;
  }
  return { shape: [...input.shape], data: out };
}

/** TFLite's float LOGISTIC reference cuts off both tails; the bounds are its constants. */
const LOGISTIC_UPPER = 16.619047164916992;
const LOGISTIC_LOWER = -9;

/** Sigmoid as TFLite's reference computes it: 1 above the upper cutoff, exp(x) below the lower. */
export function logistic(input: Tensor): Tensor {
  const x = input.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v > LOGISTIC_UPPER ? 1 : v < LOGISTIC_LOWER ? Math.exp(v) : 1 / (1 + Math.exp(-v));
  }
  return { shape: [...input.shape], data: out };
}
