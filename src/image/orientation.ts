/**
 * EXIF orientation without turning the pixels: a photo stored sideways is read through the
 * orientation, so the warp samples the upright image straight from the stored grid. Turning a
 * 1280x720 photo costs libvips about 2 ms, more than the warp and the model together for the
 * small detectors; reading through the orientation costs nothing.
 *
 * The eight EXIF values (TIFF tag 274) say where the stored grid's first row and column go:
 * 1 as stored, 2 mirrored left-right, 3 turned 180 degrees, 4 mirrored top-bottom,
 * 5 transposed, 6 turned 90 degrees clockwise, 7 transposed across the other diagonal,
 * 8 turned 90 degrees anticlockwise. Upright pixel (x, y) of a W x H stored grid is stored
 * pixel: 1 (x, y), 2 (W-1-x, y), 3 (W-1-x, H-1-y), 4 (x, H-1-y), 5 (y, x), 6 (y, H-1-x),
 * 7 (W-1-y, H-1-x), 8 (W-1-y, x).
 *
 * Pure TypeScript without Node imports: it runs unchanged in a browser.
 */
import { InputError } from '../ir/errors.js';
import type { RgbImage } from './rgb-image.js';

export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** An image as its file stores it and the orientation that shows it upright. */
export interface OrientedImage {
  /** The stored grid, 8-bit RGB. */
  readonly stored: RgbImage;
  readonly orientation: Orientation;
}

/** Interleaved 8-bit pixels seen upright: upright pixel (x, y) starts at origin + x * xStep + y * yStep. */
export interface PixelView {
  /** The upright size. */
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly origin: number;
  readonly xStep: number;
  readonly yStep: number;
}

export function isOrientation(value: number): value is Orientation {
  return Number.isInteger(value) && value >= 1 && value <= 8;
}

/** The size a viewer shows: width and height swap for 5 to 8. */
export function uprightSize(image: OrientedImage): { width: number; height: number } {
  const { width, height } = image.stored;
  return image.orientation >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * The upright view of a stored grid with `channels` bytes per pixel (3 or 4; a fourth is read
 * past). Refuses an orientation outside 1..8.
 */
export function orientedView(
  stored: { readonly width: number; readonly height: number; readonly data: Uint8Array },
  orientation: number,
  channels = 3,
): PixelView {
  if (!isOrientation(orientation)) throw new InputError(`EXIF orientation ${orientation} is not one of 1 to 8`);
  const { width: w, height: h, data } = stored;
  const row = w * channels;
  const at = (x: number, y: number): number => y * row + x * channels;
  const turned = orientation >= 5;
  const size = turned ? { width: h, height: w } : { width: w, height: h };
  // Each case: where upright (0, 0) is stored, and the stored step of one upright pixel right and one down.
  const layout: Record<Orientation, readonly [number, number, number]> = {
    1: [0, channels, row],
    2: [at(w - 1, 0), -channels, row],
    3: [at(w - 1, h - 1), -channels, -row],
    4: [at(0, h - 1), channels, -row],
    5: [0, row, channels],
    6: [at(0, h - 1), -row, channels],
    7: [at(w - 1, h - 1), -row, -channels],
    8: [at(w - 1, 0), row, -channels],
  };
  const [origin, xStep, yStep] = layout[orientation];
  return { ...size, data, origin, xStep, yStep };
}

/** The upright pixels as a new image (the stored image itself for orientation 1). */
export function uprightImage(image: OrientedImage): RgbImage {
  const { stored, orientation } = image;
  checkRgb(stored);
  if (orientation === 1) return stored;
  const view = orientedView(stored, orientation);
  const data = new Uint8Array(stored.data.length);
  let out = 0;
  for (let y = 0; y < view.height; y++) {
    let p = view.origin + y * view.yStep;
    for (let x = 0; x < view.width; x++, p += view.xStep, out += 3) {
      data[out] = stored.data[p]!;
      data[out + 1] = stored.data[p + 1]!;
      data[out + 2] = stored.data[p + 2]!;
    }
  }
  return { width: view.width, height: view.height, data };
}

function checkRgb(image: RgbImage): void {
  if (image.data.length !== image.width * image.height * 3) {
    throw new InputError(`a ${image.width}x${image.height} RGB image needs ${image.width * image.height * 3} bytes, got ${image.data.length}`);
  }
}
