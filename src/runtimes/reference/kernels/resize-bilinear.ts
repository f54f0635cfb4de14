import { KernelError } from './kernel-error.js';
import { nhwc, type Tensor } from './tensor.js';

export interface ResizeBilinearOptions {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

/** Per output coordinate of one axis: the two source cells and the weight of the upper one. */
interface AxisTaps {
  readonly lower: Int32Array;
  readonly upper: Int32Array;
  readonly frac: Float64Array;
}

/**
 * TFLite's float reference, in float32 like TFLite: scale = in/out (or (in-1)/(out-1) with
 * align_corners and out > 1); source = (o + 0.5)*scale - 0.5 with half-pixel centres, else
 * o*scale; lower = max(floor(source), 0), upper = min(ceil(source), in-1). The weight is
 * measured from the clamped lower cell, so at the edges it can fall outside [0, 1] while
 * both taps read the same cell and the result is that cell's value.
 */
function axisTaps(inSize: number, outSize: number, options: ResizeBilinearOptions): AxisTaps {
  const f = Math.fround;
  const scale = options.alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const source = options.halfPixelCenters ? f(f(f(o + 0.5) * scale) - 0.5) : f(o * scale);
    const lo = Math.max(Math.floor(source), 0);
    lower[o] = lo;
    upper[o] = Math.min(Math.ceil(source), inSize - 1);
    frac[o] = f(source - lo);
  }
  return { lower, upper, frac };
}

/** TFLite RESIZE_BILINEAR on NHWC data to [outH, outW]. */
export function resizeBilinear(input: Tensor, size: readonly [number, number], options: ResizeBilinearOptions): Tensor {
  const name = 'RESIZE_BILINEAR';
  const [batches, inH, inW, channels] = nhwc(name, input);
  const [outH, outW] = size;
  if (options.alignCorners && options.halfPixelCenters) {
    throw new KernelError(name, 'align_corners and half_pixel_centers cannot both be set');
  }
  if (!(Number.isInteger(outH) && Number.isInteger(outW) && outH > 0 && outW > 0)) {
    throw new KernelError(name, `bad output size [${outH},${outW}]`);
  }
  const rows = axisTaps(inH, outH, options);
  const cols = axisTaps(inW, outW, options);
  const x = input.data;
  const out = new Float32Array(batches * outH * outW * channels);
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let y = 0; y < outH; y++) {
      const r0 = (b * inH + rows.lower[y]!) * inW;
      const r1 = (b * inH + rows.upper[y]!) * inW;
      const dy = rows.frac[y]!;
      for (let ox = 0; ox < outW; ox++) {
        const dx = cols.frac[ox]!;
        const p00 = (r0 + cols.lower[ox]!) * channels;
        const p10 = (r1 + cols.lower[ox]!) * channels;
        const p01 = (r0 + cols.upper[ox]!) * channels;
        const p11 = (r1 + cols.upper[ox]!) * channels;
        const w00 = (1 - dy) * (1 - dx);
        const w10 = dy * (1 - dx);
        const w01 = (1 - dy) * dx;
        const w11 = dy * dx;
        for (let c = 0; c < channels; c++) {
          out[o++] = x[p00 + c]! * w00 + x[p10 + c]! * w10 + x[p01 + c]! * w01 + x[p11 + c]! * w11;
        }
      }
    }
  }
  return { shape: [batches, outH, outW, channels], data: out };
}
