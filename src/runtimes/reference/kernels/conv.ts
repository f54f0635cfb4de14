import { KernelError } from './kernel-error.js';
import { nhwc, type Tensor } from './tensor.js';
import { axisWindows, type WindowOptions } from './window.js';

export interface Conv2dOptions extends WindowOptions {
  /** [height, width]. */
  readonly dilations: readonly [number, number];
}

export interface DepthwiseConv2dOptions extends Conv2dOptions {
  readonly depthMultiplier: number;
}

function checkBias(kernel: string, bias: Tensor | null, channels: number): void {
  if (bias !== null && bias.data.length !== channels) {
    throw new KernelError(kernel, `bias has ${bias.data.length} values for ${channels} output channels`);
  }
}

/**
 * TFLite CONV_2D: input NHWC, kernel OHWI [O, kh, kw, I], output NHWC. When I divides the
 * input channels into groups (TFLite's grouped convolution), output channel o reads group
 * floor(o / (O / groups)). Each output sums taps in TFLite's order (kernel row, column,
 * input channel) and adds the bias last.
 */
export function conv2d(input: Tensor, kernel: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
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
  checkBias(name, bias, outC);
  const [sh, sw] = options.strides;
  const [dh, dw] = options.dilations;
  const [top, left, bottom, right] = options.pads;
  const rows = axisWindows(name, inH, kh, sh, dh, top, bottom);
  const cols = axisWindows(name, inW, kw, sw, dw, left, right);

  const x = input.data;
  const w = kernel.data;
  const out = new Float32Array(batches * rows.size * cols.size * outC);
  // Output channels are computed four at a time: four independent sums let the CPU overlap
  // the additions, while each sum still runs over (row, column, input channel) in order.
  const ws = kh * kw * kernelC;
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
        for (let g = 0; g < groups; g++) {
          const groupEnd = (g + 1) * perGroup;
          let oc = g * perGroup;
          for (; oc + 4 <= groupEnd; oc += 4) {
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            let s3 = 0;
            for (let fy = fy0; fy < fy1; fy++) {
              const rowBase = (b * inH + y0 + fy * dh) * inW;
              for (let fx = fx0; fx < fx1; fx++) {
                const xi = (rowBase + x0 + fx * dw) * inC + g * kernelC;
                const wi = ((oc * kh + fy) * kw + fx) * kernelC;
                for (let ic = 0; ic < kernelC; ic++) {
                  const v = x[xi + ic]!;
                  const q = wi + ic;
                  s0 += v * w[q]!;
                  s1 += v * w[q + ws]!;
                  s2 += v * w[q + 2 * ws]!;
                  s3 += v * w[q + 3 * ws]!;
                }
              }
            }
            out[o + oc] = s0 + (bias === null ? 0 : bias.data[oc]!);
            out[o + oc + 1] = s1 + (bias === null ? 0 : bias.data[oc + 1]!);
            out[o + oc + 2] = s2 + (bias === null ? 0 : bias.data[oc + 2]!);
            out[o + oc + 3] = s3 + (bias === null ? 0 : bias.data[oc + 3]!);
          }
          for (; oc < groupEnd; oc++) {
            let s = 0;
            for (let fy = fy0; fy < fy1; fy++) {
              const rowBase = (b * inH + y0 + fy * dh) * inW;
              for (let fx = fx0; fx < fx1; fx++) {
                const xi = (rowBase + x0 + fx * dw) * inC + g * kernelC;
                const wi = ((oc * kh + fy) * kw + fx) * kernelC;
                for (let ic = 0; ic < kernelC; ic++) s += x[xi + ic]! * w[wi + ic]!;
              }
            }
            out[o + oc] = s + (bias === null ? 0 : bias.data[oc]!);
          }
        }
      }
    }
  }
  return { shape: [batches, rows.size, cols.size, outC], data: out };
}

/**
 * TFLite DEPTHWISE_CONV_2D: kernel [1, kh, kw, C*m]; output channel c*m + k filters input
 * channel c with multiplier k. Taps are summed in kernel row, column order, bias last.
 */
export function depthwiseConv2d(
  input: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  options: DepthwiseConv2dOptions,
): Tensor {
  const name = 'DEPTHWISE_CONV_2D';
  const [batches, inH, inW, inC] = nhwc(name, input);
  const [one, kh, kw, outC] = nhwc(name, kernel);
  const m = options.depthMultiplier;
  if (one !== 1 || outC !== inC * m) {
    throw new KernelError(
      name,
      `kernel [${kernel.shape.join(',')}] does not fit ${inC} input channels with multiplier ${m}`,
    );
  }
  checkBias(name, bias, outC);
  const [sh, sw] = options.strides;
  const [dh, dw] = options.dilations;
  const [top, left, bottom, right] = options.pads;
  const rows = axisWindows(name, inH, kh, sh, dh, top, bottom);
  const cols = axisWindows(name, inW, kw, sw, dw, left, right);

  const x = input.data;
  const w = kernel.data;
  const out = new Float32Array(batches * rows.size * cols.size * outC);
  // Output channels go four at a time with their own sums (see conv2d); each sum still adds
  // its taps in TFLite's (row, column) order. Channel oc reads input channel floor(oc / m).
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
          out[o + oc] = s0 + (bias === null ? 0 : bias.data[oc]!);
          out[o + oc + 1] = s1 + (bias === null ? 0 : bias.data[oc + 1]!);
          out[o + oc + 2] = s2 + (bias === null ? 0 : bias.data[oc + 2]!);
          out[o + oc + 3] = s3 + (bias === null ? 0 : bias.data[oc + 3]!);
        }
        for (; oc < outC; oc++) {
          const c = Math.floor(oc / m);
          let s = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            const rowBase = (b * inH + y0 + fy * dh) * inW;
            for (let fx = fx0; fx < fx1; fx++) s += x[(rowBase + x0 + fx * dw) * inC + c]! * w[(fy * kw + fx) * outC + oc]!;
          }
          out[o + oc] = s + (bias === null ? 0 : bias.data[oc]!);
        }
      }
    }
  }
  return { shape: [batches, rows.size, cols.size, outC], data: out };
}
