import { KernelError } from './kernel-error.js';
import { nhwc, type Tensor } from './tensor.js';
import { axisWindows, type AxisWindows, type WindowOptions } from './window.js';
import { convNhwc, depthwiseNhwc, type ConvActivation } from './conv-nhwc.js';
import { relu, relu6 } from './activation.js';

export type { ConvActivation } from './conv-nhwc.js';

export interface Conv2dOptions extends WindowOptions {
  /** [height, width]. */
  readonly dilations: readonly [number, number];
}

export interface DepthwiseConv2dOptions extends Conv2dOptions {
  readonly depthMultiplier: number;
}

/** The windows of both spatial axes, the bias (zeros when there is none) and the output array. */
function windowed(
  name: string,
  [inH, inW]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  bias: Tensor | null,
  channels: number,
  batches: number,
  options: Conv2dOptions,
): { rows: AxisWindows; cols: AxisWindows; biases: Float32Array; out: Float32Array } {
  if (bias !== null && bias.data.length !== channels) {
    throw new KernelError(name, `bias has ${bias.data.length} values for ${channels} output channels`);
  }
  const [sh, sw] = options.strides;
  const [dh, dw] = options.dilations;
  const [top, left, bottom, right] = options.pads;
  const rows = axisWindows(name, inH, kh, sh, dh, top, bottom);
  const cols = axisWindows(name, inW, kw, sw, dw, left, right);
  const biases = bias === null ? new Float32Array(channels) : bias.data;
  return { rows, cols, biases, out: new Float32Array(batches * rows.size * cols.size * channels) };
}

/**
 * Where the taps of one output pixel are: tap (fy, fx, ic) reads x[base + fy*dyStep + fx*dxStep + ic]
 * for fy in [fy0, fy1) and fx in [fx0, fx1). One object per kernel call, updated per pixel.
 */
interface Taps {
  fy0: number;
  fy1: number;
  fx0: number;
  fx1: number;
  readonly kw: number;
  readonly depth: number;
  readonly dyStep: number;
  readonly dxStep: number;
}

/**
 * TFLite CONV_2D: input NHWC, kernel OHWI [O, kh, kw, I], output NHWC. When I divides the
 * input channels into groups (TFLite's grouped convolution), output channel o reads group
 * floor(o / (O / groups)). Each output sums taps in TFLite's order (kernel row, column,
 * input channel) in float64 and adds the bias last; `activation` is the fused RELU or RELU6.
 */
export function conv2d(input: Tensor, kernel: Tensor, bias: Tensor | null, options: Conv2dOptions, activation: ConvActivation = 'NONE'): Tensor {
  const name = 'CONV_2D';
  const [batches, inH, inW, inC] = nhwc(name, input);
  const [outC, kh, kw, kernelC] = nhwc(name, kernel);
  if (kernelC < 1 || inC % kernelC !== 0) {
    throw new KernelError(name, `kernel input depth ${kernelC} does not divide input depth ${inC}`);
  }
  const groups = inC / kernelC;
  if (outC % groups !== 0) {
    throw new KernelError(name, `${outC} output channels do not split into ${groups} groups`);
  }
  const perGroup = outC / groups;
  const { rows, cols, biases, out } = windowed(name, [inH, inW], [kh, kw], bias, outC, batches, options);
  const [, sw] = options.strides;
  const [dh, dw] = options.dilations;
  if (groups === 1 && out.length > 0) {
    convNhwc(input.data, kernel.data, biases, { batches, inH, inW, inC, outC, kh, kw, dh, dw, rows, cols }, activation, out);
    return { shape: [batches, rows.size, cols.size, outC], data: out };
  }
  const x = input.data;
  const w = kernel.data;
  const dyStep = dh * inW * inC;
  const dxStep = dw * inC;
  const taps: Taps = { fy0: 0, fy1: 0, fx0: 0, fx1: 0, kw, depth: kernelC, dyStep, dxStep };
  // Grouped convolutions stay in TypeScript. Two neighbouring pixels with the same in-range taps
  // share each weight load, and four output channels share each input load: eight independent
  // float64 sums, each still adding its taps in TFLite's order.
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < rows.size; oy++) {
      const y0 = rows.origin[oy]!;
      taps.fy0 = rows.first[oy]!;
      taps.fy1 = rows.end[oy]!;
      for (let ox = 0; ox < cols.size; ) {
        taps.fx0 = cols.first[ox]!;
        taps.fx1 = cols.end[ox]!;
        const pair = ox + 1 < cols.size && cols.first[ox + 1] === taps.fx0 && cols.end[ox + 1] === taps.fx1;
        const oA = ((b * rows.size + oy) * cols.size + ox) * outC;
        const pixel = ((b * inH + y0) * inW + cols.origin[ox]!) * inC;
        for (let g = 0; g < groups; g++) {
          const xa = pixel + g * kernelC;
          const xb = xa + sw * inC;
          const groupEnd = (g + 1) * perGroup;
          let oc = g * perGroup;
          for (; oc + 4 <= groupEnd; oc += 4) {
            if (pair) dot4x2(x, w, biases, out, taps, xa, xb, oc, kh, oA, oA + outC);
            else dot4(x, w, biases, out, taps, xa, oc, kh, oA);
          }
          for (; oc < groupEnd; oc++) {
            out[oA + oc] = dot(x, w, taps, xa, oc * kh * kw * kernelC) + biases[oc]!;
            if (pair) out[oA + outC + oc] = dot(x, w, taps, xb, oc * kh * kw * kernelC) + biases[oc]!;
          }
        }
        ox += pair ? 2 : 1;
      }
    }
  }
  return activated({ shape: [batches, rows.size, cols.size, outC], data: out }, activation);
}

/** One output channel at one pixel, without the bias. */
function dot(x: Float32Array, w: Float32Array, t: Taps, xBase: number, wBase: number): number {
  let s = 0;
  for (let fy = t.fy0; fy < t.fy1; fy++) {
    for (let fx = t.fx0; fx < t.fx1; fx++) {
      const xi = xBase + fy * t.dyStep + fx * t.dxStep;
      const wi = wBase + (fy * t.kw + fx) * t.depth;
      for (let ic = 0; ic < t.depth; ic++) s += x[xi + ic]! * w[wi + ic]!;
    }
  }
  return s;
}

/** Output channels oc..oc+3 at one pixel, bias added last. */
function dot4(x: Float32Array, w: Float32Array, bias: Float32Array, out: Float32Array, t: Taps, xBase: number, oc: number, kh: number, o: number): void {
  const ws = kh * t.kw * t.depth;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let fy = t.fy0; fy < t.fy1; fy++) {
    for (let fx = t.fx0; fx < t.fx1; fx++) {
      const xi = xBase + fy * t.dyStep + fx * t.dxStep;
      const wi = (oc * kh * t.kw + fy * t.kw + fx) * t.depth;
      for (let ic = 0; ic < t.depth; ic++) {
        const v = x[xi + ic]!;
        const q = wi + ic;
        s0 += v * w[q]!;
        s1 += v * w[q + ws]!;
        s2 += v * w[q + 2 * ws]!;
        s3 += v * w[q + 3 * ws]!;
      }
    }
  }
  out[o + oc] = s0 + bias[oc]!;
  out[o + oc + 1] = s1 + bias[oc + 1]!;
  out[o + oc + 2] = s2 + bias[oc + 2]!;
  out[o + oc + 3] = s3 + bias[oc + 3]!;
}

/** Output channels oc..oc+3 at two pixels whose taps start at xa and xb, bias added last. */
function dot4x2(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  t: Taps,
  xa: number,
  xb: number,
  oc: number,
  kh: number,
  oA: number,
  oB: number,
): void {
  const ws = kh * t.kw * t.depth;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  let u3 = 0;
  for (let fy = t.fy0; fy < t.fy1; fy++) {
    for (let fx = t.fx0; fx < t.fx1; fx++) {
      const tap = fy * t.dyStep + fx * t.dxStep;
      const pa = xa + tap;
      const pb = xb + tap;
      const wi = (oc * kh * t.kw + fy * t.kw + fx) * t.depth;
      for (let ic = 0; ic < t.depth; ic++) {
        const v = x[pa + ic]!;
        const u = x[pb + ic]!;
        const q = wi + ic;
        const w0 = w[q]!;
        const w1 = w[q + ws]!;
        const w2 = w[q + 2 * ws]!;
        const w3 = w[q + 3 * ws]!;
        s0 += v * w0;
        s1 += v * w1;
        s2 += v * w2;
        s3 += v * w3;
        u0 += u * w0;
        u1 += u * w1;
        u2 += u * w2;
        u3 += u * w3;
      }
    }
  }
  out[oA + oc] = s0 + bias[oc]!;
  out[oA + oc + 1] = s1 + bias[oc + 1]!;
  out[oA + oc + 2] = s2 + bias[oc + 2]!;
  out[oA + oc + 3] = s3 + bias[oc + 3]!;
  out[oB + oc] = u0 + bias[oc]!;
  out[oB + oc + 1] = u1 + bias[oc + 1]!;
  out[oB + oc + 2] = u2 + bias[oc + 2]!;
  out[oB + oc + 3] = u3 + bias[oc + 3]!;
}

/**
 * TFLite DEPTHWISE_CONV_2D: kernel [1, kh, kw, C*m]; output channel c*m + k filters input
 * channel c with multiplier k. Taps are summed in kernel row, column order in float64, bias last;
 * `activation` is the fused RELU or RELU6.
 */
export function depthwiseConv2d(
  input: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  options: DepthwiseConv2dOptions,
  activation: ConvActivation = 'NONE',
): Tensor {
  const name = 'DEPTHWISE_CONV_2D';
  const [batches, inH, inW, inC] = nhwc(name, input);
  const [one, kh, kw, outC] = nhwc(name, kernel);
  const m = options.depthMultiplier;
  if (one !== 1 || outC !== inC * m) {
    throw new KernelError(name, `kernel [${kernel.shape.join(',')}] does not fit ${inC} input channels with multiplier ${m}`);
  }
  const { rows, cols, biases, out } = windowed(name, [inH, inW], [kh, kw], bias, outC, batches, options);
  const [dh, dw] = options.dilations;
  if (m === 1 && out.length > 0) {
    depthwiseNhwc(input.data, kernel.data, biases, { batches, inH, inW, inC, outC, kh, kw, dh, dw, rows, cols }, activation, out);
    return { shape: [batches, rows.size, cols.size, outC], data: out };
  }
  const x = input.data;
  const w = kernel.data;
  // Multipliers above 1 stay in TypeScript, four channels at a time, each channel with its own
  // sum over the in-range taps. Channel oc reads input channel floor(oc / m).
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < rows.size; oy++) {
      const y0 = rows.origin[oy]!;
      const fy0 = rows.first[oy]!;
      const fy1 = rows.end[oy]!;
      for (let ox = 0; ox < cols.size; ox++, o += outC) {
        const x0 = cols.origin[ox]!;
        const fx0 = cols.first[ox]!;
        const fx1 = cols.end[ox]!;
        let oc = 0;
        for (; oc + 4 <= outC; oc += 4) {
          const c0 = Math.floor(oc / m);
          const c1 = Math.floor((oc + 1) / m);
          const c2 = Math.floor((oc + 2) / m);
          const c3 = Math.floor((oc + 3) / m);
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            const rowBase = (b * inH + y0 + fy * dh) * inW;
            for (let fx = fx0; fx < fx1; fx++) {
              const p = (rowBase + x0 + fx * dw) * inC;
              const q = (fy * kw + fx) * outC + oc;
              s0 += x[p + c0]! * w[q]!;
              s1 += x[p + c1]! * w[q + 1]!;
              s2 += x[p + c2]! * w[q + 2]!;
              s3 += x[p + c3]! * w[q + 3]!;
            }
          }
          out[o + oc] = s0 + biases[oc]!;
          out[o + oc + 1] = s1 + biases[oc + 1]!;
          out[o + oc + 2] = s2 + biases[oc + 2]!;
          out[o + oc + 3] = s3 + biases[oc + 3]!;
        }
        for (; oc < outC; oc++) {
          const c = Math.floor(oc / m);
          let s = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            const rowBase = (b * inH + y0 + fy * dh) * inW;
            for (let fx = fx0; fx < fx1; fx++) s += x[(rowBase + x0 + fx * dw) * inC + c]! * w[(fy * kw + fx) * outC + oc]!;
          }
          out[o + oc] = s + biases[oc]!;
        }
      }
    }
  }
  return activated({ shape: [batches, rows.size, cols.size, outC], data: out }, activation);
}

/** The fused activation of the TypeScript loops, applied to their fresh output in place. */
function activated(t: Tensor, activation: ConvActivation): Tensor {
  if (activation === 'RELU') return relu(t, t.data);
  if (activation === 'RELU6') return relu6(t, t.data);
  return t;
}
