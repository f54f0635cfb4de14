/**
 * The MIL executor's element-wise loops in WebAssembly (schemas/wasm/mil-kernels.wat), four
 * values at a time and without a branch per value. Each function copies its operands into the kernels' memory, runs
 * there and copies the result out; each gives what the TypeScript loop named on it gives, bit
 * for bit. Where a NaN comes out, whose bits float64 arithmetic might set otherwise, the
 * function reports it and the caller runs its TypeScript loop instead.
 */
import { instantiateKernels, kernelBuffer, type KernelInstance } from '../wasm.js';
import { MIL_KERNELS_WASM } from '../../schema/wasm/mil-kernels.js';

/** out = a op b over n lanes; a and b advance 16 bytes a vector, or 0 for a value stored four times. Nonzero: a NaN came out. */
type BinaryKernel = (a: number, da: number, b: number, db: number, out: number, n: number) => number;

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

interface Kernels extends Record<BinaryOp, BinaryKernel> {
  roundHalves(data: number, n: number): void;
  clip(data: number, n: number, lo: number, hi: number): number;
  relu(data: number, n: number): void;
}

let instance: KernelInstance<Kernels> | undefined;

function kernels(): KernelInstance<Kernels> {
  instance ??= instantiateKernels<Kernels>(MIL_KERNELS_WASM);
  return instance;
}

/**
 * The bytes a region of `n` floats takes in kernel memory: whole vectors, and one more, so a run
 * that starts between vectors may end its last one past the region's values.
 */
function regionBytes(n: number): number {
  return Math.ceil(n / 4) * 16 + 16;
}

/** The kernels' memory holding `bytes`, as floats (views made before are detached when it grows). */
function memory(bytes: number): Float32Array {
  return new Float32Array(kernelBuffer(kernels().memory, bytes));
}

/** Rounds every element to the nearest half float in place: roundToHalves (src/ir/float16.ts). */
export function roundHalves(data: Float32Array): Float32Array {
  const floats = memory(regionBytes(data.length));
  floats.set(data);
  kernels().roundHalves(0, data.length);
  data.set(floats.subarray(0, data.length));
  return data;
}

/** out[i] = max(0, x[i]) on the bits: relu (src/runtimes/tensor.ts) with `keep`. */
export function reluFloats(x: Float32Array, out: Float32Array): Float32Array {
  const floats = memory(regionBytes(x.length));
  floats.set(x);
  kernels().relu(0, x.length);
  out.set(floats.subarray(0, x.length));
  return out;
}

/**
 * out[i] = Math.min(Math.max(x[i], lo), hi) for float32 bounds; false (out unfinished) when a
 * NaN came out.
 */
export function clipFloats(x: Float32Array, lo: number, hi: number, out: Float32Array): boolean {
  const floats = memory(regionBytes(x.length));
  floats.set(x);
  if (kernels().clip(0, x.length, lo, hi)) return false;
  out.set(floats.subarray(0, x.length));
  return true;
}

/** One run of a broadcast: outputs [o, o + n) read x from `pa` and y from `pb`, each advancing by its step (1 or 0) per output. */
export interface Run {
  readonly o: number;
  readonly pa: number;
  readonly pb: number;
  readonly n: number;
}

/**
 * x op y into `out` run by run, as `u + v`, `u - v`, `u * v`, `u / v`, `u > v ? u : v` and
 * `u < v ? u : v` of the float32 values, then rounded to halves if `halves` (roundHalves). Every
 * run has the steps `ia` and `ib`. False (out unfinished) when a NaN came out.
 */
export function binaryFloats(
  op: BinaryOp,
  x: Float32Array,
  ia: number,
  y: Float32Array,
  ib: number,
  runs: readonly Run[],
  halves: boolean,
  out: Float32Array,
): boolean {
  // An operand that holds still along a run is stored four times per value: a vector of it.
  const xAt = 0;
  const yAt = xAt + regionBytes(ia ? x.length : 4 * x.length);
  const outAt = yAt + regionBytes(ib ? y.length : 4 * y.length);
  const floats = memory(outAt + regionBytes(out.length));
  place(floats, xAt / 4, yAt / 4, x, ia);
  place(floats, yAt / 4, outAt / 4, y, ib);
  const k = kernels()[op];
  for (const { o, pa, pb, n } of runs) {
    const a = ia ? xAt + 4 * pa : xAt + 16 * pa;
    const b = ib ? yAt + 4 * pb : yAt + 16 * pb;
    if (k(a, 16 * ia, b, 16 * ib, outAt + 4 * o, n)) return false;
  }
  if (halves) kernels().roundHalves(outAt, out.length);
  out.set(floats.subarray(outAt / 4, outAt / 4 + out.length));
  return true;
}

/**
 * `values` in the region [at, end) of float indices: as they are for step 1, each four times for
 * step 0. The lanes after them, which a run's last vector reads, hold 1s: they make no NaN.
 */
function place(floats: Float32Array, at: number, end: number, values: Float32Array, step: number): void {
  if (step) floats.set(values, at);
  else for (let i = 0; i < values.length; i++) floats.fill(values[i]!, at + 4 * i, at + 4 * i + 4);
  floats.fill(1, at + (step ? values.length : 4 * values.length), end);
}
