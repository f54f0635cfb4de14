import type { Tensor } from './tensor.js';

function unary(input: Tensor, f: (x: number) => number): Tensor {
  const x = input.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return { shape: [...input.shape], data: out };
}

export function relu(input: Tensor): Tensor {
  return unary(input, (x) => (x > 0 ? x : 0));
}

export function relu6(input: Tensor): Tensor {
  return unary(input, (x) => (x > 0 ? (x < 6 ? x : 6) : 0));
}

/** TFLite's float LOGISTIC reference cuts off both tails; the bounds are its constants. */
const LOGISTIC_UPPER = 16.619047164916992;
const LOGISTIC_LOWER = -9;

/** Sigmoid as TFLite's reference computes it: 1 above the upper cutoff, exp(x) below the lower. */
export function logistic(input: Tensor): Tensor {
  return unary(input, (x) => {
    if (x > LOGISTIC_UPPER) return 1;
    if (x < LOGISTIC_LOWER) return Math.exp(x);
    return 1 / (1 + Math.exp(-x));
  });
}
