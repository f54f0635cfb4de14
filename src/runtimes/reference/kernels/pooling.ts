import { nhwc, type Tensor } from './tensor.js';
import { KernelError } from './kernel-error.js';
import { axisWindows, type AxisWindows, type WindowOptions } from './window.js';

export interface Pool2dOptions extends WindowOptions {
  /** [height, width]. */
  readonly filter: readonly [number, number];
}

/** TFLite starts its max at the lowest finite float, so a window wholly in padding yields it. */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

function windows(name: string, input: Tensor, options: Pool2dOptions): [AxisWindows, AxisWindows] {
  const [, inH, inW] = nhwc(name, input);
  const [fh, fw] = options.filter;
  const [sh, sw] = options.strides;
  const [top, left, bottom, right] = options.pads;
  return [axisWindows(name, inH, fh, sh, 1, top, bottom), axisWindows(name, inW, fw, sw, 1, left, right)];
}

/**
 * Runs a max or a sum over the in-range cells of every window, per channel. Padded cells take
 * no part, as in TFLite's reference pooling.
 */
function pool(name: string, input: Tensor, options: Pool2dOptions, kind: 'max' | 'average'): Tensor {
  const [batches, inH, inW, channels] = nhwc(name, input);
  const [rows, cols] = windows(name, input, options);
  const x = input.data;
  const out = new Float32Array(batches * rows.size * cols.size * channels);
  const acc = new Float64Array(channels);
  const max = kind === 'max';
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < rows.size; oy++) {
      const y0 = rows.origin[oy]!;
      const fy0 = rows.first[oy]!;
      const fy1 = rows.end[oy]!;
      for (let ox = 0; ox < cols.size; ox++) {
        const x0 = cols.origin[ox]!;
        const fx0 = cols.first[ox]!;
        const fx1 = cols.end[ox]!;
        acc.fill(max ? LOWEST_FLOAT32 : 0);
        for (let fy = fy0; fy < fy1; fy++) {
          const rowBase = (b * inH + y0 + fy) * inW;
          for (let fx = fx0; fx < fx1; fx++) {
            const pixel = (rowBase + x0 + fx) * channels;
            if (max) {
              for (let c = 0; c < channels; c++) {
                const v = x[pixel + c]!;
                if (v > acc[c]!) acc[c] = v;
              }
            } else {
              for (let c = 0; c < channels; c++) acc[c] = acc[c]! + x[pixel + c]!;
            }
          }
        }
        const count = Math.max(0, fy1 - fy0) * Math.max(0, fx1 - fx0);
        // TFLite's reference kernel fails the op rather than divide by zero.
        if (!max && count === 0) throw new KernelError(name, 'a window lies wholly in the padding');
        for (let c = 0; c < channels; c++) out[o++] = max ? acc[c]! : acc[c]! / count;
      }
    }
  }
  return { shape: [batches, rows.size, cols.size, channels], data: out };
}

/** TFLite MAX_POOL_2D: the largest in-range value of each window. */
export function maxPool2d(input: Tensor, options: Pool2dOptions): Tensor {
  return pool('MAX_POOL_2D', input, options, 'max');
}

/** TFLite AVERAGE_POOL_2D: the mean over the in-range cells only, so edge windows divide by less. */
export function averagePool2d(input: Tensor, options: Pool2dOptions): Tensor {
  return pool('AVERAGE_POOL_2D', input, options, 'average');
}
