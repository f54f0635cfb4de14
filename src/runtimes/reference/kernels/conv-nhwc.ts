/**
 * The NHWC convolutions of the IR interpreter in WebAssembly (schemas/wasm/conv-nhwc.wat,
 * assembled into src/schema/wasm/conv-nhwc.ts): CONV_2D of one group and DEPTHWISE_CONV_2D with multiplier 1, each output
 * summed exactly as conv.ts documents (zero, the in-range taps in TFLite's order in float64, the
 * bias last, one rounding to float32), with SIMD lanes over adjacent output channels. Channels
 * are padded here to a multiple of eight and the padding dropped from the result.
 */
import { CONV_NHWC_WASM } from '../../../schema/wasm/conv-nhwc.js';
import { instantiateKernels, kernelBuffer, type KernelInstance } from '../../wasm.js';
import type { AxisWindows } from './window.js';

/** Input and output geometry of one call; the caller has checked that they fit together. */
export interface NhwcGeometry {
  readonly batches: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outC: number;
  readonly kh: number;
  readonly kw: number;
  readonly dh: number;
  readonly dw: number;
  readonly rows: AxisWindows;
  readonly cols: AxisWindows;
}

/** The exports of conv-nhwc.wat; addresses are byte offsets into its memory. */
interface Kernels {
  conv(...args: number[]): void;
  depthwise(...args: number[]): void;
}

let instance: KernelInstance<Kernels> | undefined;

function padded(channels: number): number {
  return Math.ceil(channels / 8) * 8;
}

/** Lays out the shared parts (bias, tables) after `at` and returns where each went. */
function layout(
  k: KernelInstance<Kernels>,
  at: number,
  g: NhwcGeometry,
  pad: number,
  bias: Float32Array,
): { memory: ArrayBuffer; biasAt: number; outAt: number; rowsAt: number; colsAt: number; end: number } {
  const biasAt = at;
  const outAt = biasAt + pad * 8;
  const rowsAt = outAt + g.batches * g.rows.size * g.cols.size * pad * 4;
  const colsAt = rowsAt + g.rows.size * 12;
  const end = colsAt + g.cols.size * 12;
  const memory = kernelBuffer(k.memory, end);
  new Float64Array(memory, biasAt, pad).fill(0).set(bias);
  writeTable(new Int32Array(memory, rowsAt, g.rows.size * 3), g.rows);
  writeTable(new Int32Array(memory, colsAt, g.cols.size * 3), g.cols);
  return { memory, biasAt, outAt, rowsAt, colsAt, end };
}

/** The fused activations the kernels apply to their outputs. */
export type ConvActivation = 'NONE' | 'RELU' | 'RELU6';

const ACTIVATION_CODES: { readonly [A in ConvActivation]: number } = { NONE: 0, RELU: 1, RELU6: 2 };

/** CONV_2D of one group: kernel OHWI [outC, kh, kw, inC] into `out` [batches, oh, ow, outC]. */
export function convNhwc(x: Float32Array, kernel: Float32Array, bias: Float32Array, g: NhwcGeometry, activation: ConvActivation, out: Float32Array): void {
  instance ??= instantiateKernels<Kernels>(CONV_NHWC_WASM);
  const k = instance;
  const pad = padded(g.outC);
  const xAt = 0;
  const wAt = xAt + Math.ceil(x.length / 2) * 16;
  const taps = g.kh * g.kw;
  const parts = layout(k, wAt + taps * g.inC * pad * 8, g, pad, bias);
  new Float64Array(parts.memory, xAt, x.length).set(x);
  // OHWI to [kh][kw][inC][outC padded]: the eight channels of a pass sit side by side.
  const w = new Float64Array(parts.memory, wAt, taps * g.inC * pad).fill(0);
  for (let oc = 0; oc < g.outC; oc++) {
    for (let t = 0; t < taps; t++) {
      const from = (oc * taps + t) * g.inC;
      const to = t * g.inC * pad + oc;
      for (let ic = 0; ic < g.inC; ic++) w[to + ic * pad] = kernel[from + ic]!;
    }
  }
  k.conv(
    xAt,
    wAt,
    parts.biasAt,
    parts.outAt,
    parts.rowsAt,
    parts.colsAt,
    g.batches,
    g.inH,
    g.inW,
    g.inC,
    pad,
    g.kw,
    g.dh,
    g.dw,
    g.rows.size,
    g.cols.size,
    ACTIVATION_CODES[activation],
  );
  unpad(new Float32Array(parts.memory, parts.outAt, (out.length / g.outC) * pad), pad, g.outC, out);
}

/** DEPTHWISE_CONV_2D with multiplier 1: kernel [1, kh, kw, C] into `out` [batches, oh, ow, C]. */
export function depthwiseNhwc(x: Float32Array, kernel: Float32Array, bias: Float32Array, g: NhwcGeometry, activation: ConvActivation, out: Float32Array): void {
  instance ??= instantiateKernels<Kernels>(CONV_NHWC_WASM);
  const k = instance;
  const c = g.inC;
  const pad = padded(c);
  const xAt = 0;
  const pixels = g.batches * g.inH * g.inW;
  const wAt = xAt + pixels * pad * 8;
  const taps = g.kh * g.kw;
  const parts = layout(k, wAt + taps * pad * 8, g, pad, bias);
  const xs = new Float64Array(parts.memory, xAt, pixels * pad);
  const w = new Float64Array(parts.memory, wAt, taps * pad);
  if (pad === c) {
    xs.set(x);
    w.set(kernel);
  } else {
    xs.fill(0);
    w.fill(0);
    for (let p = 0; p < pixels; p++) xs.set(x.subarray(p * c, (p + 1) * c), p * pad);
    for (let t = 0; t < taps; t++) w.set(kernel.subarray(t * c, (t + 1) * c), t * pad);
  }
  k.depthwise(
    xAt,
    wAt,
    parts.biasAt,
    parts.outAt,
    parts.rowsAt,
    parts.colsAt,
    g.batches,
    g.inH,
    g.inW,
    pad,
    g.kw,
    g.dh,
    g.dw,
    g.rows.size,
    g.cols.size,
    ACTIVATION_CODES[activation],
  );
  unpad(new Float32Array(parts.memory, parts.outAt, (out.length / c) * pad), pad, c, out);
}

/** Copies the real `channels` of each pixel of `from` (pixels `pad` apart) into `out`. */
function unpad(from: Float32Array, pad: number, channels: number, out: Float32Array): void {
  if (pad === channels) {
    out.set(from);
    return;
  }
  const pixels = out.length / channels;
  for (let p = 0; p < pixels; p++) out.set(from.subarray(p * pad, p * pad + channels), p * channels);
}

/** An axis's windows as the kernels read them: (origin, first, end) per output. */
function writeTable(table: Int32Array, windows: AxisWindows): void {
  for (let i = 0; i < windows.size; i++) {
    table[3 * i] = windows.origin[i]!;
    table[3 * i + 1] = windows.first[i]!;
    table[3 * i + 2] = windows.end[i]!;
  }
}
