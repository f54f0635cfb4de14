/**
 * The WebAssembly loops of conv.ts (conv-nhwc.wat, assembled into conv-nhwc-wasm.ts): CONV_2D
 * of one group and DEPTHWISE_CONV_2D with multiplier 1, NHWC. Each output sums its in-range taps
 * in (kernel row, kernel column, input channel) order in float64 from zero, then adds the bias,
 * and is rounded to float32 once, as the TypeScript loops of conv.ts do; SIMD lanes hold adjacent
 * output channels, so the results are those loops' bit for bit.
 */
import type { AxisWindows } from './window.js';
import { CONV_NHWC_WASM } from './conv-nhwc-wasm.js';
import { instantiateKernels, kernelBuffer, type KernelInstance } from '../../wasm.js';

/** Sizes of one convolution; the caller has checked that they fit together. */
export interface NhwcGeometry {
  readonly batches: number;
  readonly h: number;
  readonly w: number;
  /** Input channels (for depthwise, also the output channels). */
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly dh: number;
  readonly dw: number;
  readonly rows: AxisWindows;
  readonly cols: AxisWindows;
}

type Loop = (...args: number[]) => void;

/** The exports of conv-nhwc.wat; addresses are byte offsets into its memory. */
interface Kernels {
  conv: Loop;
  depthwise: Loop;
  packWeights: Loop;
}

let instance: KernelInstance<Kernels> | undefined;

/** Past the input, the depthwise kernel's last channel block may read up to seven floats. */
const INPUT_SLACK = 32;

/** Where each array goes in kernel memory, and the memory as one buffer. */
function layout(
  g: NhwcGeometry,
  weights: number,
  lanes: number,
  outputs: number,
): { memory: ArrayBuffer; k: KernelInstance<Kernels>; wAt: number; biasAt: number; outAt: number; rowsAt: number; colsAt: number } {
  const wAt = align(g.batches * g.h * g.w * g.c * 4 + INPUT_SLACK);
  const biasAt = wAt + weights * 8;
  const outAt = biasAt + lanes * 8;
  const rowsAt = align(outAt + outputs * 4);
  const colsAt = rowsAt + g.rows.size * 12;
  instance ??= instantiateKernels<Kernels>(CONV_NHWC_WASM);
  return { memory: kernelBuffer(instance.memory, colsAt + g.cols.size * 12), k: instance, wAt, biasAt, outAt, rowsAt, colsAt };
}

/**
 * CONV_2D of one group: `x` [batches, h, w, c], `kernel` OHWI [cOut, kh, kw, c], `bias` [cOut];
 * returns the output [batches, rows, cols, cOut].
 */
export function conv2dNhwc(x: Float32Array, kernel: Float32Array, bias: Float32Array, cOut: number, g: NhwcGeometry): Float32Array {
  const o8 = Math.ceil(cOut / 8) * 8;
  const taps = g.kh * g.kw * g.c;
  const outputs = g.batches * g.rows.size * g.cols.size * cOut;
  // The OHWI weights go in as they are, past the output, until packWeights has laid them out.
  const m = layout(g, taps * o8, o8, Math.max(outputs, kernel.length));
  new Float32Array(m.memory, 0, x.length).set(x);
  // OHWI to HWI and the output channels, padded with zero weights to whole blocks of eight.
  if (o8 !== cOut) new Float64Array(m.memory, m.wAt, taps * o8).fill(0);
  new Float32Array(m.memory, m.outAt, kernel.length).set(kernel);
  m.k.packWeights(m.outAt, m.wAt, cOut, taps, o8);
  placeBias(m.memory, m.biasAt, bias, o8);
  writeTable(new Int32Array(m.memory, m.rowsAt, g.rows.size * 3), g.rows);
  writeTable(new Int32Array(m.memory, m.colsAt, g.cols.size * 3), g.cols);
  m.k.conv(0, m.wAt, m.biasAt, m.outAt, m.rowsAt, m.colsAt, g.batches, g.h, g.w, g.c, cOut, o8, g.kw, g.dh, g.dw, g.rows.size, g.cols.size);
  return new Float32Array(m.memory, m.outAt, outputs).slice();
}

/** DEPTHWISE_CONV_2D with multiplier 1: `kernel` [1, kh, kw, c], `bias` [c]; returns [batches, rows, cols, c]. */
export function depthwiseNhwc(x: Float32Array, kernel: Float32Array, bias: Float32Array, g: NhwcGeometry): Float32Array {
  const { c } = g;
  const c8 = Math.ceil(c / 8) * 8;
  const taps = g.kh * g.kw;
  const outputs = g.batches * g.rows.size * g.cols.size * c;
  const m = layout(g, taps * c8, c8, outputs);
  new Float32Array(m.memory, 0, x.length + INPUT_SLACK / 4).fill(0, x.length).set(x);
  const w = new Float64Array(m.memory, m.wAt, taps * c8);
  if (c8 === c) w.set(kernel);
  else {
    w.fill(0);
    for (let t = 0; t < taps; t++) w.set(kernel.subarray(t * c, (t + 1) * c), t * c8);
  }
  placeBias(m.memory, m.biasAt, bias, c8);
  writeTable(new Int32Array(m.memory, m.rowsAt, g.rows.size * 3), g.rows);
  writeTable(new Int32Array(m.memory, m.colsAt, g.cols.size * 3), g.cols);
  m.k.depthwise(0, m.wAt, m.biasAt, m.outAt, m.rowsAt, m.colsAt, g.batches, g.h, g.w, c, c8, g.kw, g.dh, g.dw, g.rows.size, g.cols.size);
  return new Float32Array(m.memory, m.outAt, outputs).slice();
}

function placeBias(memory: ArrayBuffer, at: number, bias: Float32Array, lanes: number): void {
  const b = new Float64Array(memory, at, lanes);
  b.fill(0);
  b.set(bias);
}

/** An axis's windows as the kernels read them: (origin, first, end) per output. */
function writeTable(table: Int32Array, windows: AxisWindows): void {
  for (let i = 0; i < windows.size; i++) {
    table[3 * i] = windows.origin[i]!;
    table[3 * i + 1] = windows.first[i]!;
    table[3 * i + 2] = windows.end[i]!;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
