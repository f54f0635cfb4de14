/**
 * Unary activations, and clip: min(max(x, alpha), beta). relu and clip run in the WebAssembly
 * kernels (kernels.ts); the rest in one plain loop per function: they run on every activation of
 * a program, where a call per element would cost more than the arithmetic.
 */
import { clipFloats, reluFloats } from '../kernels.js';
import { opError, type Params } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import type { FloatTensor } from '../tensor.js';

/** The op's one float input and an output of its type and shape, which the op writes whole. */
function unaryOperands(p: Params): [FloatTensor, FloatTensor] {
  p.only(['x']);
  const x = p.float('x');
  return [x, p.overwritten(x.dtype, x.shape)];
}

/** max(0, x): negative values and -0 give +0, a NaN stays NaN. */
export const relu: MilOpExecutor = (_ctx, p) => {
  const [x, out] = unaryOperands(p);
  reluFloats(x.data, out.data);
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
  // The kernel writes every output, or clipData does.
  const out = p.overwritten(x.dtype, x.shape);
  if (!clipFloats(x.data, alpha, beta, out.data)) clipData(x.data, alpha, beta, out.data);
  return [out];
};

/** The smallest float32 above zero: below it, a float32 is negative (not -0). */
const TINIEST = 2 ** -149;

/**
 * Math.min(Math.max(v, alpha), beta) for every v, bit for bit, alpha <= beta and neither NaN.
 * Each output picks the bits of v, alpha or beta by masks made from comparisons, not by
 * branches: activations fall on both sides of a bound about as often. Signed zeros come out as
 * Math.max and Math.min give them (Math.max(-0, +0) is +0, Math.min(+0, -0) is -0): a bound of
 * -0 is met by the comparisons through the thresholds below. A NaN input is left to the float
 * expression, which stores it through a float64.
 */
function clipData(x: Float32Array, alpha: number, beta: number, out: Float32Array): void {
  const xBits = new Int32Array(x.buffer, x.byteOffset, x.length);
  const outBits = new Int32Array(out.buffer, out.byteOffset, out.length);
  const boundBits = new Int32Array(new Float32Array([alpha, beta]).buffer);
  const alphaBits = boundBits[0]!;
  const betaBits = boundBits[1]!;
  // Math.max picks alpha when v < alpha, and when v is -0 against alpha +0: v <= low for a
  // float32 v. Math.min picks beta when the max exceeds beta, and when it is +0 against -0.
  const low = Object.is(alpha, -0) ? -TINIEST : alpha;
  const high = Object.is(beta, -0) ? -TINIEST : beta;
  const alphaOverHigh = -Number(alpha > high);
  let nans = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const b = xBits[i]!;
    const toAlpha = -Number(v <= low);
    const toBeta = (toAlpha & alphaOverHigh) | (~toAlpha & -Number(v > high));
    const max = b ^ ((b ^ alphaBits) & toAlpha);
    const r = max ^ ((max ^ betaBits) & toBeta);
    outBits[i] = r;
    nans |= 0x7f800000 - (r & 0x7fffffff);
  }
  if (nans < 0) for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) out[i] = Math.min(Math.max(x[i]!, alpha), beta);
}
