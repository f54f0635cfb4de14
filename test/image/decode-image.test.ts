import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/ir/errors.js';
import { decodeImage } from '../../src/image/decode-image.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG built by hand: `rows` are unfiltered scanlines (filter byte 0 is added here). */
function makePng(
  width: number,
  height: number,
  bitDepth: number,
  colorType: number,
  rows: number[][],
  extra: Buffer[] = [],
): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, 0], 8);
  const raw = Uint8Array.from(rows.flatMap((row) => [0, ...row]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('decodeImage: PNG', () => {
  const names = ['1face', '3faces', '4faces'];
  for (const name of names) {
    const file = join(SHARED_DIR, 'images', `${name}.png`);
    // Shared files must exist under CI; elsewhere a missing one skips.
    it.skipIf(!existsSync(file) && process.env.CI !== 'true')(`decodes ../shared/images/${name}.png to 128x128 RGB`, () => {
      const image = decodeImage(new Uint8Array(readFileSync(file)), file);
      expect([image.width, image.height, image.data.length]).toEqual([128, 128, 128 * 128 * 3]);
      // A photo: many distinct values in every channel.
      for (let c = 0; c < 3; c++) {
        expect(new Set(image.data.filter((_, i) => i % 3 === c)).size).toBeGreaterThan(100);
      }
    });
  }

  it('drops alpha from RGBA without touching the colour', () => {
    const png = makePng(2, 1, 8, 6, [[10, 20, 30, 0, 40, 50, 60, 128]]);
    expect(Array.from(decodeImage(png, 'rgba.png').data)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('keeps the colour of a tRNS colour-keyed pixel', () => {
    const key = chunk('tRNS', Uint8Array.from([0, 10, 0, 20, 0, 30]));
    const png = makePng(2, 1, 8, 2, [[10, 20, 30, 1, 2, 3]], [key]);
    expect(Array.from(decodeImage(png, 'key.png').data)).toEqual([10, 20, 30, 1, 2, 3]);
  });

  it('expands a palette, with palette alpha dropped', () => {
    const plte = chunk('PLTE', Uint8Array.from([255, 0, 0, 0, 0, 255]));
    const trns = chunk('tRNS', Uint8Array.from([0, 255]));
    // 2-bit indices 1, 0, 1 packed in one byte: 01 00 01 00.
    const png = makePng(3, 1, 2, 3, [[0b01000100]], [plte, trns]);
    expect(Array.from(decodeImage(png, 'palette.png').data)).toEqual([0, 0, 255, 255, 0, 0, 0, 0, 255]);
  });

  it('scales 16-bit samples to 8 bits and replicates gray', () => {
    // 16-bit RGB: 0xffff -> 255, 0x8080 -> 128, 0x0000 -> 0.
    const rgb16 = makePng(1, 1, 16, 2, [[0xff, 0xff, 0x80, 0x80, 0, 0]]);
    expect(Array.from(decodeImage(rgb16, 'rgb16.png').data)).toEqual([255, 128, 0]);
    // 1-bit gray: bits 1, 0 -> 255, 0; gray + alpha: gray copied to R, G and B.
    const bits = makePng(2, 1, 1, 0, [[0b10000000]]);
    expect(Array.from(decodeImage(bits, 'gray1.png').data)).toEqual([255, 255, 255, 0, 0, 0]);
    const grayAlpha = makePng(1, 1, 8, 4, [[77, 3]]);
    expect(Array.from(decodeImage(grayAlpha, 'ga.png').data)).toEqual([77, 77, 77]);
  });

  it('names the file when the PNG is truncated', () => {
    const png = makePng(2, 1, 8, 2, [[1, 2, 3, 4, 5, 6]]);
    for (const cut of [png.subarray(0, 40), png.subarray(0, png.length - 20)]) {
      try {
        decodeImage(cut, 'cut.png');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).describe()).toMatch(/^cut\.png: .*PNG/);
      }
    }
  });
});

describe('decodeImage: JPEG', () => {
  // Two flat halves, so JPEG's loss stays small and the expected colours are known.
  const width = 32;
  const height = 16;
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba.set((p % width) < 16 ? [200, 40, 40, 255] : [30, 90, 220, 255], p * 4);
  }
  const file = jpeg.encode({ width, height, data: rgba }, 95).data;

  it('decodes a JPEG encoded with jpeg-js to RGB', () => {
    const image = decodeImage(new Uint8Array(file), 'halves.jpg');
    expect([image.width, image.height, image.data.length]).toEqual([width, height, width * height * 3]);
    const at = (x: number, y: number) => Array.from(image.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
    for (const [got, want] of [
      [at(4, 8), [200, 40, 40]],
      [at(28, 8), [30, 90, 220]],
    ] as const) {
      got.forEach((v, c) => expect(Math.abs(v - want[c]!)).toBeLessThanOrEqual(4));
    }
  });

  it('names the file when the JPEG is truncated', () => {
    expect(() => decodeImage(new Uint8Array(file.subarray(0, file.length / 2)), 'half.jpg')).toThrow(InputError);
  });
});

describe('decodeImage: other files', () => {
  it('refuses unknown magic bytes, naming the file', () => {
    try {
      decodeImage(new TextEncoder().encode('GIF89a....'), 'anim.gif');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).describe()).toBe('anim.gif: not a PNG or JPEG file (unrecognised magic bytes)');
    }
  });
});
