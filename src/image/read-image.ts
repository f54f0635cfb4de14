/**
 * Image files → 8-bit RGB with sharp (libvips: libjpeg-turbo, libpng, libwebp, libheif with
 * AV1, cgif, libtiff; SIMD where the codec has it). The file's own bytes decide the format,
 * never its name.
 *
 * What comes out is what OpenCV's imread and MediaPipe's image loading hand to the detector:
 * - the pixels as stored: an embedded ICC profile is ignored (no colour conversion), CMYK goes
 *   through libvips's CMYK profile because RGB has to come from somewhere;
 * - upright: the EXIF orientation is applied, so coordinates refer to the image as a viewer
 *   shows it (`readImage`), or comes with the stored pixels for the warp to read through
 *   (`readOrientedImage`);
 * - 8 bits: 16-bit samples keep their high byte (v >> 8), grey becomes R = G = B, a palette is
 *   expanded, alpha is dropped without compositing (MediaPipe's RGBA → RGB);
 * - one frame: the first of an animated GIF or WebP, the primary image of an AVIF.
 *
 * The declared size is checked against `maxPixels` from the header before any pixel is
 * decoded, so a small file declaring a huge image (a decompression bomb) costs nothing.
 */
import { loadSharp } from './sharp.js';
import { InputError, LimitError } from '../ir/errors.js';
import { isOrientation, type OrientedImage, type Orientation, uprightSize } from './orientation.js';
import type { RgbImage } from './rgb-image.js';
import { groupDigits } from '../ir/digits.js';

/** Formats read; others (SVG, PDF, HEIC with HEVC, raw camera files) are refused by name. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** File name endings a folder run picks up. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.avif', '.gif', '.tif', '.tiff'] as const;

/**
 * 2^28 pixels (a 16384 x 16384 image): 768 MiB once decoded to RGB, which bounds what one
 * image can make this process allocate. sharp's own default is close (16383^2).
 */
export const DEFAULT_MAX_PIXELS = 2 ** 28;

export interface ReadImageOptions {
  /** Largest width x height accepted, checked from the header; DEFAULT_MAX_PIXELS by default. */
  readonly maxPixels?: number;
}

export interface DecodedImage extends RgbImage {
  readonly format: ImageFormat;
  /** The EXIF orientation (1 to 8) that was applied; 1 when the file has none. */
  readonly orientation: Orientation;
}

/** The stored pixels and the EXIF orientation still to apply (1 when the file has none). */
export interface DecodedOrientedImage extends OrientedImage {
  readonly format: ImageFormat;
  /** The upright size, as a viewer shows the image. */
  readonly width: number;
  readonly height: number;
}

/** Decodes one image file's bytes, upright; `file` names it in errors. */
export async function readImage(bytes: Uint8Array, file: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  const { format, orientation, pixels } = await decode(bytes, file, options, true);
  return { ...pixels, format, orientation };
}

/**
 * Decodes one image file's bytes as stored, without turning them: the EXIF orientation comes
 * with the pixels, and the detector reads the upright image through it (orientation.ts). This
 * saves libvips's turn of the whole image (about 2 ms for 1280x720) on photos stored sideways.
 */
export async function readOrientedImage(bytes: Uint8Array, file: string, options: ReadImageOptions = {}): Promise<DecodedOrientedImage> {
  const { format, orientation, pixels } = await decode(bytes, file, options, false);
  return { stored: pixels, orientation, format, ...uprightSize({ stored: pixels, orientation }) };
}

async function decode(
  bytes: Uint8Array,
  file: string,
  options: ReadImageOptions,
  autoOrient: boolean,
): Promise<{ format: ImageFormat; orientation: Orientation; pixels: RgbImage }> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isSafeInteger(maxPixels) && maxPixels > 0)) throw new InputError(`the pixel limit must be a positive integer, got ${maxPixels}`, file);
  const format = sniffFormat(bytes, file);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sharp = await loadSharp();
  const header = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw new InputError(`cannot read the ${format.toUpperCase()} header: ${sharpMessage(error)}`, file);
    });
  const { width, height } = header;
  if (!(width > 0 && height > 0)) throw new InputError(`the ${format.toUpperCase()} header declares a ${width}x${height} image`, file);
  if (width * height > maxPixels) {
    throw new LimitError(
      `${groupDigits(maxPixels)} pixels`,
      '--max-pixels',
      `the image declares ${width}x${height} = ${groupDigits(width * height)} pixels`,
      file,
    );
  }
  const loaded = sharp(input, { limitInputPixels: maxPixels, pages: 1, ignoreIcc: true, sequentialRead: true, failOn: 'warning' });
  const pipeline = (autoOrient ? loaded.autoOrient() : loaded).toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true }).catch((error: unknown) => {
    throw new InputError(`cannot decode the ${format.toUpperCase()} image: ${sharpMessage(error)}`, file);
  });
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new InputError(`decoded to ${info.width}x${info.height} with ${info.channels} channels and ${data.length} bytes, expected RGB`, file);
  }
  // libvips ignores an orientation tag outside 1..8, and so does this.
  const orientation = header.orientation !== undefined && isOrientation(header.orientation) ? header.orientation : 1;
  return { format, orientation, pixels: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) } };
}

/** The format from the first bytes, or a one-line refusal that says what the file looks like. */
export function sniffFormat(bytes: Uint8Array, file: string): ImageFormat {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length === 0) throw new InputError('empty file, not an image', file);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  if (ascii(4, 8) === 'ftyp') {
    const brands = ftypBrands(bytes);
    if (brands.includes('avif') || brands.includes('avis')) return 'avif';
    if (brands.some((b) => HEVC_BRANDS.includes(b))) {
      throw new InputError(`a HEIF/HEIC image (brands ${brands.join(', ')}): HEVC-coded images are not supported, convert it to JPEG or AVIF`, file);
    }
  }
  if (/^\s*<(\?xml|svg)/i.test(ascii(0, 64))) throw new InputError('an SVG or XML file: only raster images are read (JPEG, PNG, WebP, AVIF, GIF, TIFF)', file);
  throw new InputError('not an image: expected a JPEG, PNG, WebP, AVIF, GIF or TIFF file', file);
}

const HEVC_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];

/** The ISO-BMFF ftyp box's major brand and compatible brands (AVIF often has major brand mif1). */
function ftypBrands(bytes: Uint8Array): string[] {
  const size = Math.min(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0), bytes.length, 256);
  const brands = [String.fromCharCode(...bytes.subarray(8, 12))];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(String.fromCharCode(...bytes.subarray(at, at + 4)));
  return brands;
}

/**
 * libvips messages carry a trailing newline and lines of context, one line is kept. Its error
 * buffer is shared by the decodes in flight, so the same line can come once per concurrent
 * decode: each distinct line is kept once, so a file gets the same message however busy.
 */
function sharpMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(lines)].join('; ');
}
