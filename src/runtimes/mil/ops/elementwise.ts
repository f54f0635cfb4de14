/**
 * Binary element-wise ops with NumPy broadcasting; x and y share one float type. The output is
 * made in runs along which each operand either advances by one element or stays on one (a
 * scalar, or a per-channel value over a plane). Runs of some length go to the WebAssembly
 * kernels (kernels.ts); short ones, and any op whose result holds a NaN, to a TypeScript loop
 * per op and kind of run, which defines the results.
 *
 * maximum and minimum are `u > v ? u : v` and `u < v ? u : v`. The TypeScript loops pick one
 * operand's bits by a mask made from the comparison rather than by a branch, which mispredicts
 * on about half of a network's activations.
 */
import { broadcastShape, forEachBroadcastRun } from '../../tensor.js';
import { binaryFloats, roundHalves, type BinaryOp, type Run } from '../kernels.js';
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';

/** The arrays of one op: both operands and the output, each also as the int32 bits of its floats. */
interface Operands {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly out: Float32Array;
  readonly xBits: Int32Array;
  readonly yBits: Int32Array;
  readonly outBits: Int32Array;
}

/** Runs shorter than this go to the TypeScript loops: a kernel call and a partly used vector per run would cost more. */
const SHORTEST_KERNEL_RUN = 16;

function binary(op: BinaryOp): MilOpExecutor {
  const kernels = KERNELS[op];
  return (ctx, p) => {
    p.only(['x', 'y']);
    const x = p.float('x');
    const y = p.floatOf('y', x.dtype);
    const shape = broadcastShape(x.shape, y.shape);
    if (!shape) throw opError(ctx, 'y', `shape [${y.shape.join(', ')}] does not broadcast with x [${x.shape.join(', ')}]`);
    // The runs cover every output, in the kernels or in the TypeScript loops.
    const out = p.overwritten(x.dtype, shape);
    const { ia, ib, runs } = broadcastRuns(x.shape, y.shape, shape);
    // A float16 sum, difference, product or quotient is rounded to halves here, in the kernels' memory (execute.ts leaves it).
    const halves = x.dtype === 'fp16' && op !== 'max' && op !== 'min';
    if (runs.length > 0 && runs[0]!.n >= SHORTEST_KERNEL_RUN && binaryFloats(op, x.data, ia, y.data, ib, runs, halves, out.data)) return [out];
    const arrays: Operands = { x: x.data, y: y.data, out: out.data, xBits: bitsOf(x.data), yBits: bitsOf(y.data), outBits: bitsOf(out.data) };
    // Both steps 0 happens only for runs of one output.
    const kernel = ia === 1 ? (ib === 1 ? kernels.both : kernels.xOnly) : ib === 1 ? kernels.yOnly : kernels.xOnly;
    for (const { o, pa, pb, n } of runs) kernel(arrays, o, pa, pb, n);
    if (halves) roundHalves(out.data);
    return [out];
  };
}

function bitsOf(data: Float32Array): Int32Array {
  return new Int32Array(data.buffer, data.byteOffset, data.length);
}

/**
 * The broadcast as runs of one length: run outputs o..o+n-1 read x from `pa` and y from `pb`,
 * each advancing by its step (`ia`, `ib`: 1, or 0 where it broadcasts) per output. Axes that
 * both operands read as one are merged first, so a per-channel or scalar operand makes runs of
 * whole planes rather than of single rows.
 */
function broadcastRuns(xShape: readonly number[], yShape: readonly number[], shape: readonly number[]): { ia: number; ib: number; runs: Run[] } {
  const runs: Run[] = [];
  let steps = { ia: 0, ib: 0 };
  forEachBroadcastRun(xShape, yShape, shape, (o, pa, ia, pb, ib, n) => {
    runs.push({ o, pa, pb, n });
    steps = { ia, ib };
  });
  return { ...steps, runs };
}

/**
 * Computes outputs [o, o + n): `both` reads x from `pa` and y from `pb`, advancing both; `xOnly`
 * advances x and holds y[pb]; `yOnly` holds x[pa] and advances y. One small function per op and
 * kind keeps each loop monomorphic and quick for the compiler to optimise.
 */
type Kernel = (a: Operands, o: number, pa: number, pb: number, n: number) => void;

const KERNELS: Readonly<Record<BinaryOp, { readonly both: Kernel; readonly xOnly: Kernel; readonly yOnly: Kernel }>> = {
  add: {
    both: ({ x, y, out }, o, pa, pb, n) => {
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! + y[pb + i]!;
    },
    xOnly: ({ x, y, out }, o, pa, pb, n) => {
      const v = y[pb]!;
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! + v;
    },
    yOnly: ({ x, y, out }, o, pa, pb, n) => {
      const u = x[pa]!;
      for (let i = 0; i < n; i++) out[o + i] = u + y[pb + i]!;
    },
  },
  sub: {
    both: ({ x, y, out }, o, pa, pb, n) => {
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! - y[pb + i]!;
    },
    xOnly: ({ x, y, out }, o, pa, pb, n) => {
      const v = y[pb]!;
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! - v;
    },
    yOnly: ({ x, y, out }, o, pa, pb, n) => {
      const u = x[pa]!;
      for (let i = 0; i < n; i++) out[o + i] = u - y[pb + i]!;
    },
  },
  mul: {
    both: ({ x, y, out }, o, pa, pb, n) => {
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! * y[pb + i]!;
    },
    xOnly: ({ x, y, out }, o, pa, pb, n) => {
      const v = y[pb]!;
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! * v;
    },
    yOnly: ({ x, y, out }, o, pa, pb, n) => {
      const u = x[pa]!;
      for (let i = 0; i < n; i++) out[o + i] = u * y[pb + i]!;
    },
  },
  div: {
    both: ({ x, y, out }, o, pa, pb, n) => {
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! / y[pb + i]!;
    },
    xOnly: ({ x, y, out }, o, pa, pb, n) => {
      const v = y[pb]!;
      for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! / v;
    },
    yOnly: ({ x, y, out }, o, pa, pb, n) => {
      const u = x[pa]!;
      for (let i = 0; i < n; i++) out[o + i] = u / y[pb + i]!;
    },
  },
  // -Number(c) is all ones where x wins (as the ternary picks it), 0 where y does.
  max: {
    both: ({ x, y, out, xBits, yBits, outBits }, o, pa, pb, n) => {
      let nans = 0;
      for (let i = 0; i < n; i++) {
        const vb = yBits[pb + i]!;
        const r = vb ^ ((xBits[pa + i]! ^ vb) & -Number(x[pa + i]! > y[pb + i]!));
        outBits[o + i] = r;
        nans |= nanSign(r);
      }
      if (nans < 0) for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! > y[pb + i]! ? x[pa + i]! : y[pb + i]!;
    },
    xOnly: ({ x, y, out, xBits, yBits, outBits }, o, pa, pb, n) => {
      const v = y[pb]!;
      const vb = yBits[pb]!;
      let nans = 0;
      for (let i = 0; i < n; i++) {
        const r = vb ^ ((xBits[pa + i]! ^ vb) & -Number(x[pa + i]! > v));
        outBits[o + i] = r;
        nans |= nanSign(r);
      }
      if (nans < 0) for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! > v ? x[pa + i]! : v;
    },
    yOnly: ({ x, y, out, xBits, yBits, outBits }, o, pa, pb, n) => {
      const u = x[pa]!;
      const ub = xBits[pa]!;
      let nans = 0;
      for (let i = 0; i < n; i++) {
        const vb = yBits[pb + i]!;
        const r = vb ^ ((ub ^ vb) & -Number(u > y[pb + i]!));
        outBits[o + i] = r;
        nans |= nanSign(r);
      }
      if (nans < 0) for (let i = 0; i < n; i++) out[o + i] = u > y[pb + i]! ? u : y[pb + i]!;
    },
  },
  min: {
    both: ({ x, y, out, xBits, yBits, outBits }, o, pa, pb, n) => {
      let nans = 0;
      for (let i = 0; i < n; i++) {
        const vb = yBits[pb + i]!;
        const r = vb ^ ((xBits[pa + i]! ^ vb) & -Number(x[pa + i]! < y[pb + i]!));
        outBits[o + i] = r;
        nans |= nanSign(r);
      }
      if (nans < 0) for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! < y[pb + i]! ? x[pa + i]! : y[pb + i]!;
    },
    xOnly: ({ x, y, out, xBits, yBits, outBits }, o, pa, pb, n) => {
      const v = y[pb]!;
      const vb = yBits[pb]!;
      let nans = 0;
      for (let i = 0; i < n; i++) {
        const r = vb ^ ((xBits[pa + i]! ^ vb) & -Number(x[pa + i]! < v));
        outBits[o + i] = r;
        nans |= nanSign(r);
      }
      if (nans < 0) for (let i = 0; i < n; i++) out[o + i] = x[pa + i]! < v ? x[pa + i]! : v;
    },
    yOnly: ({ x, y, out, xBits, yBits, outBits }, o, pa, pb, n) => {
      const u = x[pa]!;
      const ub = xBits[pa]!;
      let nans = 0;
      for (let i = 0; i < n; i++) {
        const vb = yBits[pb + i]!;
        const r = vb ^ ((ub ^ vb) & -Number(u < y[pb + i]!));
        outBits[o + i] = r;
        nans |= nanSign(r);
      }
      if (nans < 0) for (let i = 0; i < n; i++) out[o + i] = u < y[pb + i]! ? u : y[pb + i]!;
    },
  },
};

/**
 * Negative when the float32 with these bits is a NaN. A run that picked a NaN is redone with the
 * float expression, which stores it through a float64 (and may quiet it), so the masks change no
 * bit of any result; real activations never take that path.
 */
function nanSign(bits: number): number {
  return 0x7f800000 - (bits & 0x7fffffff);
}

export const add = binary('add');
export const sub = binary('sub');
export const mul = binary('mul');
export const realDiv = binary('div');
export const maximum = binary('max');
export const minimum = binary('min');
