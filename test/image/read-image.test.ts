/**
 * Every format and variant `detect` reads, written here by sharp (or by hand where sharp cannot
 * write it), decoded by readImage and checked against the pixels that went in: exactly for the
 * lossless formats, within a stated error for JPEG.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError, LimitError } from '../../src/ir/errors.js';
import type { RgbImage } from '../../src/image/rgb-image.js';
import { uprightImage } from '../../src/image/orientation.js';
import { readImage, readOrientedImage, sniffFormat } from '../../src/image/read-image.js';

const W = 61;
const H = 47;

/** Seeded noise: every pixel different, so a shifted or mirrored decode cannot pass. */
function noise(width = W, height = H, seed = 7): RgbImage {
  let s = seed;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

/** A smooth picture for the lossy codecs, whose error is then small and predictable. */
function gradient(width = W, height = H): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([(255 * x) / (width - 1), (255 * y) / (height - 1), 128], (y * width + x) * 3);
  }
  return { width, height, data };
}

/** Eight colours, so palette formats (GIF, palette PNG) hold it exactly. */
function eightColours(): RgbImage {
  const image = noise();
  for (let i = 0; i < image.data.length; i++) image.data[i] = image.data[i]! & 0x80;
  return image;
}

const raw = (image: RgbImage) => sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } });

async function decode(bytes: Uint8Array, options = {}) {
  return readImage(bytes, 'fixture', options);
}

function meanAbsoluteError(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG written by hand: sharp cannot be told to write arbitrary 16-bit samples or a lying header. */
function handPng(width: number, height: number, bitDepth: number, colourType: number, rows: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

describe('readImage decodes', () => {
  const source = noise();

  it.each([
    ['PNG, 8-bit RGB', () => raw(source).png()],
    ['PNG, interlaced', () => raw(source).png({ progressive: true })],
    ['WebP, lossless', () => raw(source).webp({ lossless: true })],
    ['AVIF, lossless', () => raw(source).avif({ lossless: true })],
    ['TIFF, LZW', () => raw(source).tiff({ compression: 'lzw' })],
    ['TIFF, deflate', () => raw(source).tiff({ compression: 'deflate' })],
  ])('%s: exactly the pixels written', async (_, write) => {
    const image = await decode(await write().toBuffer());
    expect([image.width, image.height, image.orientation]).toEqual([W, H, 1]);
    expect(Buffer.from(image.data).equals(Buffer.from(source.data))).toBe(true);
  });

  it('PNG with a palette and GIF: exactly, through the palette', async () => {
    const image = eightColours();
    const palette = await raw(image).png({ palette: true, colours: 16, dither: 0 }).toBuffer();
    expect((await sharp(palette).metadata()).isPalette).toBe(true);
    for (const bytes of [palette, await raw(image).gif({ colours: 16, dither: 0 }).toBuffer()]) {
      const decoded = await decode(bytes);
      expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
    }
  });

  it('PNG with alpha: alpha dropped, colour kept even where fully transparent', async () => {
    const rgba = new Uint8Array(W * H * 4);
    for (let p = 0; p < W * H; p++) rgba.set([...source.data.subarray(p * 3, p * 3 + 3), p % 3 === 0 ? 0 : 200], p * 4);
    const bytes = await sharp(Buffer.from(rgba), { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer();
    expect(Buffer.from((await decode(bytes)).data).equals(Buffer.from(source.data))).toBe(true);
  });

  it('grey PNG (8 and 16 bits): R = G = B; 16-bit samples keep their high byte', async () => {
    const grey8 = Uint8Array.from({ length: W * H }, (_, i) => (i * 7) % 256);
    const rows8 = new Uint8Array(H * (W + 1));
    for (let y = 0; y < H; y++) rows8.set(grey8.subarray(y * W, (y + 1) * W), y * (W + 1) + 1);
    const decoded8 = await decode(handPng(W, H, 8, 0, rows8));
    expect(Array.from(decoded8.data.subarray(0, 9))).toEqual([0, 0, 0, 7, 7, 7, 14, 14, 14]);

    // 0x80FF keeps 0x80 (128) where rounding v * 255 / 65535 would give 129.
    const samples = [0x80ff, 0x807f, 0xffff, 0x0000, 0x0101, 0x7fff];
    const rows16 = Buffer.alloc(1 + samples.length * 2);
    samples.forEach((v, i) => rows16.writeUInt16BE(v, 1 + 2 * i));
    const decoded16 = await decode(handPng(samples.length, 1, 16, 0, rows16));
    expect(Array.from(decoded16.data)).toEqual([128, 255, 0, 1, 127].flatMap((v, i) => (i === 0 ? [v, v, v, v, v, v] : [v, v, v])));
  });

  it('RGB PNG with 16-bit samples', async () => {
    const rows = Buffer.alloc(1 + 2 * 3 * 2);
    [0x1234, 0xabcd, 0xff00, 0x00ff, 0x8000, 0x7fff].forEach((v, i) => rows.writeUInt16BE(v, 1 + 2 * i));
    expect(Array.from((await decode(handPng(2, 1, 16, 2, rows))).data)).toEqual([0x12, 0xab, 0xff, 0x00, 0x80, 0x7f]);
  });

  it.each([
    ['JPEG, baseline', () => raw(gradient()).jpeg({ quality: 95 }), false],
    ['JPEG, progressive', () => raw(gradient()).jpeg({ quality: 95, progressive: true }), true],
  ])('%s: close to the pixels written', async (_, write, progressive) => {
    const bytes = await write().toBuffer();
    expect((await sharp(bytes).metadata()).isProgressive).toBe(progressive);
    const image = await decode(bytes);
    expect(image.format).toBe('jpeg');
    expect(meanAbsoluteError(image.data, gradient().data)).toBeLessThan(1.5);
  });

  it('JPEG in CMYK: converted to RGB', async () => {
    const bytes = await raw(gradient()).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(bytes).metadata()).space).toBe('cmyk');
    const image = await decode(bytes);
    expect(image.data.length).toBe(W * H * 3);
    // Through a CMYK profile and back colours move (gamut), but red still grows to the right
    // and green downwards: the channels are in their places.
    expect(meanAbsoluteError(image.data, gradient().data)).toBeLessThan(20);
    const at = (x: number, y: number, c: number) => image.data[(y * W + x) * 3 + c]!;
    expect(at(W - 1, H >> 1, 0) - at(0, H >> 1, 0)).toBeGreaterThan(150);
    expect(at(W >> 1, H - 1, 1) - at(W >> 1, 0, 1)).toBeGreaterThan(150);
  });

  it('the first frame of an animated GIF and WebP', async () => {
    const red = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const blue = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#0000ff' } })
      .png()
      .toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    const webp = await sharp([blue, red], { join: { animated: true } })
      .webp({ lossless: true })
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    expect(await decode(gif)).toMatchObject({ width: 8, height: 6, format: 'gif' });
    expect(Array.from((await decode(gif)).data.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(Array.from((await decode(webp)).data.subarray(0, 3))).toEqual([0, 0, 255]);
  });

  it('the stored pixels of a file with an ICC profile (no colour conversion)', async () => {
    const bytes = await raw(source).withIccProfile('p3').png().toBuffer();
    expect((await sharp(bytes).metadata()).hasProfile).toBe(true);
    const stored = await sharp(bytes, { ignoreIcc: true }).raw().toBuffer();
    const managed = await sharp(bytes).toColourspace('srgb').raw().toBuffer();
    expect(stored.equals(managed), 'the fixture must differ when colour-managed').toBe(false);
    expect(Buffer.from((await decode(bytes)).data).equals(stored)).toBe(true);
  });
});

/** Where displayed pixel (x, y) of an image stored as w x h with EXIF orientation `o` comes from. */
function storedPixel(o: number, x: number, y: number, w: number, h: number): [number, number] {
  switch (o) {
    case 2:
      return [w - 1 - x, y];
    case 3:
      return [w - 1 - x, h - 1 - y];
    case 4:
      return [x, h - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [y, h - 1 - x];
    case 7:
      return [w - 1 - y, h - 1 - x];
    case 8:
      return [w - 1 - y, x];
    default:
      return [x, y];
  }
}

describe('readImage applies the EXIF orientation', () => {
  const stored = noise(13, 9, 3);

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: the image as a viewer shows it', async (o) => {
    const bytes = await raw(stored).webp({ lossless: true }).withMetadata({ orientation: o }).toBuffer();
    const image = await decode(bytes);
    const turned = o >= 5;
    expect([image.width, image.height, image.orientation]).toEqual([turned ? 9 : 13, turned ? 13 : 9, o]);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const [sx, sy] = storedPixel(o, x, y, 13, 9);
        const at = (y * image.width + x) * 3;
        const from = (sy * 13 + sx) * 3;
        expect(Array.from(image.data.subarray(at, at + 3)), `(${x}, ${y})`).toEqual(Array.from(stored.data.subarray(from, from + 3)));
      }
    }
  });

  it('in a JPEG too (a phone portrait stored sideways)', async () => {
    const bytes = await raw(gradient(40, 30)).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    expect(await decode(bytes)).toMatchObject({ width: 30, height: 40, orientation: 6 });
  });
});

describe('readOrientedImage keeps the stored pixels and says how to turn them', () => {
  const stored = noise(13, 9, 5);

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: the stored grid, the upright size, and readImage once turned', async (o) => {
    const bytes = await raw(stored).webp({ lossless: true }).withMetadata({ orientation: o }).toBuffer();
    const oriented = await readOrientedImage(bytes, 'fixture');
    const turned = o >= 5;
    expect([oriented.width, oriented.height, oriented.orientation, oriented.format]).toEqual([turned ? 9 : 13, turned ? 13 : 9, o, 'webp']);
    expect(oriented.stored).toEqual(stored);
    const upright = await decode(bytes);
    const mine = uprightImage(oriented);
    expect([mine.width, mine.height]).toEqual([upright.width, upright.height]);
    expect(Buffer.compare(Buffer.from(mine.data), Buffer.from(upright.data))).toBe(0);
  });

  it('in a JPEG: the same pixels as libvips turns them', async () => {
    const bytes = await raw(gradient(40, 30)).jpeg({ quality: 90 }).withMetadata({ orientation: 8 }).toBuffer();
    const oriented = await readOrientedImage(bytes, 'fixture');
    expect(oriented).toMatchObject({ width: 30, height: 40, orientation: 8, stored: { width: 40, height: 30 } });
    expect(Buffer.compare(Buffer.from(uprightImage(oriented).data), Buffer.from((await decode(bytes)).data))).toBe(0);
  });

  it('and refuses what readImage refuses', async () => {
    const bomb = handPng(100_000, 100_000, 8, 2, new Uint8Array(16));
    await expect(readOrientedImage(bomb, 'fixture')).rejects.toThrow(LimitError);
    await expect(readOrientedImage(new TextEncoder().encode('hello'), 'fixture')).rejects.toThrow(InputError);
  });
});

describe('readImage refuses', () => {
  it('a decompression bomb from its header, before decoding, naming the flag that raises the limit', async () => {
    // 100000 x 100000 declared, a few bytes of data: refusing must not try to allocate 30 GB.
    const bomb = handPng(100_000, 100_000, 8, 2, new Uint8Array(16));
    const error = await decode(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).describe()).toBe(
      'fixture: the image declares 100000x100000 = 10,000,000,000 pixels, over the limit of 268,435,456 pixels (raise it with --max-pixels)',
    );
  });

  it('a JPEG whose frame header declares a huge size', async () => {
    const bytes = Buffer.from(await raw(gradient()).jpeg().toBuffer());
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    bytes.writeUInt16BE(60_000, sof + 5);
    bytes.writeUInt16BE(60_000, sof + 7);
    await expect(decode(bytes)).rejects.toThrow(/declares 60000x60000 = 3,600,000,000 pixels, over the limit/);
  });

  it('an image one pixel over a given limit, and takes one at the limit', async () => {
    const bytes = await raw(noise()).png().toBuffer();
    await expect(decode(bytes, { maxPixels: W * H - 1 })).rejects.toThrow(LimitError);
    expect(await decode(bytes, { maxPixels: W * H })).toMatchObject({ width: W, height: H });
  });

  it.each([
    ['JPEG', () => raw(noise(200, 150)).jpeg()],
    ['PNG', () => raw(noise(200, 150)).png()],
    ['WebP', () => raw(noise(200, 150)).webp()],
    ['GIF', () => raw(noise(200, 150)).gif()],
  ])('a truncated %s, in one line', async (format, write) => {
    const whole = await write().toBuffer();
    const error = await decode(whole.subarray(0, Math.floor(whole.length / 2))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const line = (error as InputError).describe();
    expect(line).toMatch(new RegExp(`^fixture: cannot (decode|read) the ${format.toUpperCase()} (image|header): `));
    expect(line).not.toContain('\n');
  });

  it.each([
    ['text', Buffer.from('hello, not an image'), /^not an image: expected a JPEG, PNG, WebP, AVIF, GIF or TIFF file$/],
    ['an empty file', Buffer.alloc(0), /^empty file/],
    ['SVG', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'), /SVG .*only raster images/],
    ['HEIC', Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic'), /HEIF\/HEIC image .*not supported/],
  ])('%s', (_, bytes, message) => {
    expect(() => sniffFormat(bytes, 'fixture')).toThrow(message);
  });

  it('an AVIF whose major brand is mif1 is still AVIF', () => {
    expect(sniffFormat(Buffer.from('\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf'), 'fixture')).toBe('avif');
  });
});
