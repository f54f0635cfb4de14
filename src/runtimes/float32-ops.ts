/**
 * Float32 operations of the reference executors, run in WebAssembly (schemas/wasm/float32-ops.wat) four
 * values at a time and without a branch per value: on a network's activations, about half of
 * them negative, a comparison per value mispredicts often enough to cost several times the
 * arithmetic. Results are those of the plain loops named on each function, bit for bit.
 */
import { FLOAT32_OPS_WASM } from '../schema/wasm/float32-ops.js';
import { instantiateKernels, kernelBuffer, type KernelInstance } from './wasm.js';

type Arithmetic = 'add' | 'subtract' | 'multiply' | 'divide';

interface Kernels extends Record<Arithmetic, (a: number, b: number, n: number) => void> {
  clip(data: number, n: number, lo: number, hi: number): void;
  prelu(data: number, plane: number, planes: number, alpha: number, channels: number): void;
  maxPool2x2(x: number, out: number, planes: number, h: number, w: number): void;
}

let instance: KernelInstance<Kernels> | undefined;

function kernels(): KernelInstance<Kernels> {
  instance ??= instantiateKernels<Kernels>(FLOAT32_OPS_WASM);
  return instance;
}

/** The bytes `n` floats take in kernel memory, rounded up to whole four-lane vectors. */
function vectorBytes(n: number): number {
  return Math.ceil(n / 4) * 16;
}

/**
 * out[i] = Math.min(Math.max(x[i], lo), hi). The bounds go in as float32: rounding to float32
 * is monotonic and leaves x[i] alone, so clamping to the rounded bounds gives the rounded clamp.
 */
export function clipFloats(x: Float32Array, lo: number, hi: number, out: Float32Array): Float32Array {
  const k = kernels();
  const data = new Float32Array(kernelBuffer(k.memory, vectorBytes(x.length)), 0, x.length);
  data.set(x);
  k.clip(0, x.length, lo, hi);
  out.set(data);
  return out;
}

/**
 * PReLU of planes of `plane` values: out[i] = x[i] >= 0 ? x[i] : x[i] * alpha[p % alpha.length],
 * p being the plane of i.
 */
export function preluFloats(x: Float32Array, plane: number, alpha: Float32Array, out: Float32Array): Float32Array {
  const k = kernels();
  const alphaAt = vectorBytes(x.length);
  const buffer = kernelBuffer(k.memory, alphaAt + alpha.length * 4);
  const data = new Float32Array(buffer, 0, x.length);
  data.set(x);
  new Float32Array(buffer, alphaAt, alpha.length).set(alpha);
  k.prelu(0, plane, x.length / plane, alphaAt, alpha.length);
  out.set(data);
  return out;
}

const ARITHMETIC = { add: 'add', sub: 'subtract', mul: 'multiply', div: 'divide' } as const;

/** The operations `arithmeticFloats` runs. */
export type ArithmeticOp = keyof typeof ARITHMETIC;

export function isArithmeticOp(op: string): op is ArithmeticOp {
  return Object.hasOwn(ARITHMETIC, op);
}

/** out[i] = x[i] op y[i] (+, -, *, /), for arrays of one length, as float64 rounded to float32. */
export function arithmeticFloats(op: ArithmeticOp, x: Float32Array, y: Float32Array, out: Float32Array): Float32Array {
  const k = kernels();
  const yAt = vectorBytes(x.length);
  const buffer = kernelBuffer(k.memory, 2 * yAt);
  const data = new Float32Array(buffer, 0, x.length);
  data.set(x);
  new Float32Array(buffer, yAt, y.length).set(y);
  k[ARITHMETIC[op]](0, yAt, x.length);
  out.set(data);
  return out;
}

/**
 * MAX pooling of planes [h][w] by 2x2 windows at stride 2 without padding into planes
 * [floor(h / 2)][floor(w / 2)]: each output the Math.max of its window.
 */
export function maxPool2x2Floats(x: Float32Array, h: number, w: number, out: Float32Array): Float32Array {
  const k = kernels();
  const outAt = vectorBytes(x.length);
  const buffer = kernelBuffer(k.memory, outAt + vectorBytes(out.length));
  new Float32Array(buffer, 0, x.length).set(x);
  k.maxPool2x2(0, outAt, x.length / (h * w), h, w);
  out.set(new Float32Array(buffer, outAt, out.length));
  return out;
}
