/**
 * Bilinear resize with half-pixel centres: the documented method for golden inputs and for
 * detection. For an output of size W x H from a source of size w x h, output pixel (X, Y)
 * samples the source at
 *
 *   sx = clamp((X + 0.5) * w / W - 0.5, 0, w - 1)
 *   sy = clamp((Y + 0.5) * h / H - 0.5, 0, h - 1)
 *
 * x0 = floor(sx), x1 = min(x0 + 1, w - 1), fx = sx - x0 (likewise y), and each channel is
 *
 *   v = (1 - fy) * ((1 - fx) * p(x0, y0) + fx * p(x1, y0)) + fy * ((1 - fx) * p(x0, y1) + fx * p(x1, y1))
 *
 * computed in float64 and stored as round-half-up to 0..255 (Math.round). The clamp repeats
 * the edge pixels, as TensorFlow's resize_bilinear with half_pixel_centers=true and OpenCV's
 * INTER_LINEAR do. There is no area filtering: a large reduction samples, it does not average.
 */
import { InputError } from '../ir/errors.js';
import type { RgbImage } from './rgb-image.js';

export function resizeBilinear(image: RgbImage, width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`cannot resize to ${width}x${height}`);
  }
  if (image.width < 1 || image.height < 1) throw new InputError(`cannot resize an empty ${image.width}x${image.height} image`);
  const xs = samplePositions(image.width, width);
  const ys = samplePositions(image.height, height);
  const src = image.data;
  const rowStride = image.width * 3;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const { lo: y0, hi: y1, frac: fy } = ys[y]!;
    for (let x = 0; x < width; x++) {
      const { lo: x0, hi: x1, frac: fx } = xs[x]!;
      const out = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = (1 - fx) * src[y0 * rowStride + x0 * 3 + c]! + fx * src[y0 * rowStride + x1 * 3 + c]!;
        const bottom = (1 - fx) * src[y1 * rowStride + x0 * 3 + c]! + fx * src[y1 * rowStride + x1 * 3 + c]!;
        data[out + c] = Math.round((1 - fy) * top + fy * bottom);
      }
    }
  }
  return { width, height, data };
}

interface Sample {
  readonly lo: number;
  readonly hi: number;
  readonly frac: number;
}

function samplePositions(inSize: number, outSize: number): Sample[] {
  return Array.from({ length: outSize }, (_, i) => {
    const s = Math.min(Math.max(((i + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
    const lo = Math.floor(s);
    return { lo, hi: Math.min(lo + 1, inSize - 1), frac: s - lo };
  });
}
