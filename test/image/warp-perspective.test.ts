/**
 * OpenCV's fixed-point bilinear warp on hand-worked cases (the comparison with OpenCV itself
 * is warp-perspective-opencv.test.ts). The inverse map M takes output pixel (x, y) to source
 * (M0 x + M1 y + M2, M3 x + M4 y + M5) / (M6 x + M7 y + M8); positions are rounded to 1/32
 * pixel and weights are in units of 2^-15.
 */
import { describe, expect, it } from 'vitest';
import { warpInto, warpPerspective, warpPerspectiveInverse } from '../../src/image/warp-perspective.js';
import type { RgbImage } from '../../src/image/rgb-image.js';

/** A one-row RGB image whose channels are all `values[x]`. */
function grayRow(values: readonly number[]): RgbImage {
  return { width: values.length, height: 1, data: Uint8Array.from(values.flatMap((v) => [v, v, v])) };
}

/** A width x height RGB image with distinct channels: R = 10x + y, G = 200 - x, B = 7y. */
function pattern(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([10 * x + y, 200 - x, 7 * y], (y * width + x) * 3);
  }
  return { width, height, data };
}

const firstChannel = (image: RgbImage): number[] => Array.from(image.data.filter((_, i) => i % 3 === 0));
const translate = (dx: number, dy: number): Float64Array => Float64Array.of(1, 0, dx, 0, 1, dy, 0, 0, 1);

describe('warpPerspective (INTER_LINEAR, BORDER_CONSTANT 0, fixed point)', () => {
  it('reproduces the image under the identity, the last row and column included', () => {
    const image = pattern(7, 5);
    expect(warpPerspective(image, translate(0, 0), 7, 5).data).toEqual(image.data);
  });

  it('moves by whole pixels and fills what comes from outside with 0', () => {
    const image = pattern(6, 4);
    const moved = warpPerspectiveInverse(image, translate(2, 1), 6, 4);
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 6; x++) {
        const expected = x + 2 < 6 && y + 1 < 4 ? Array.from(image.data.subarray(((y + 1) * 6 + x + 2) * 3, ((y + 1) * 6 + x + 3) * 3)) : [0, 0, 0];
        expect(Array.from(moved.data.subarray((y * 6 + x) * 3, (y * 6 + x + 1) * 3))).toEqual(expected);
      }
    }
  });

  it('rounds a half-pixel sample up: (a + b) / 2 as (16384 a + 16384 b + 16384) >> 15', () => {
    const out = warpPerspectiveInverse(grayRow([10, 21, 0, 0]), translate(0.5, 0), 1, 1);
    expect(firstChannel(out)).toEqual([16]);
  });

  it('quantizes the position to 1/32 pixel before weighting', () => {
    // x = 0.3 → round(9.6) = 10/32: weights 22528 and 10240, so 255 * 10240 / 32768 = 79.7
    // → 80, where a float bilinear sample would give 0.3 * 255 = 76.5.
    const out = warpPerspectiveInverse(grayRow([0, 255, 0]), translate(0.3, 0), 1, 1);
    expect(firstChannel(out)).toEqual([80]);
  });

  it('rounds the 1/32 position half to even', () => {
    // 0.015625 * 32 = 0.5 → 0 (even), 0.046875 * 32 = 1.5 → 2 (even).
    const row = grayRow([0, 255, 0]);
    expect(firstChannel(warpPerspectiveInverse(row, translate(0.015625, 0), 1, 1))).toEqual([0]);
    // 2/32 of 255: (255 * 2048 + 16384) >> 15 = 16.
    expect(firstChannel(warpPerspectiveInverse(row, translate(0.046875, 0), 1, 1))).toEqual([16]);
  });

  it('blends with 0 where the 2x2 neighbourhood straddles the border', () => {
    // x = -0.5: the left neighbour is outside (0), the right one is pixel 0 (200): 100.
    // x = 2.5 on a 3 pixel row: pixel 2 (90) and outside: 45.
    const row = grayRow([200, 50, 90]);
    expect(firstChannel(warpPerspectiveInverse(row, translate(-0.5, 0), 1, 1))).toEqual([100]);
    expect(firstChannel(warpPerspectiveInverse(row, translate(2.5, 0), 1, 1))).toEqual([45]);
    // One row high: the row below is always outside, so a sample at y = 0.25 keeps 3/4.
    expect(firstChannel(warpPerspectiveInverse(row, translate(0, 0.25), 1, 1))).toEqual([150]);
  });

  it('samples a perspective map at the projected position', () => {
    // w = 1 + x/16: output (8, 0) samples source 8 / 1.5 = 5.333 → 171/32 = 5 + 11/32.
    const values = Array.from({ length: 12 }, (_, i) => i * 20);
    const out = warpPerspectiveInverse(grayRow(values), Float64Array.of(1, 0, 0, 0, 1, 0, 1 / 16, 0, 1), 9, 1);
    const expected = (values[5]! * (21 * 32 * 32) + values[6]! * (11 * 32 * 32) + 16384) >> 15;
    expect(firstChannel(out)[8]).toBe(expected);
  });

  it('reads RGBA and writes RGB, the alpha never sampled', () => {
    const rgb = pattern(9, 6);
    const rgba = new Uint8Array(9 * 6 * 4);
    for (let p = 0; p < 9 * 6; p++) rgba.set([...rgb.data.subarray(p * 3, p * 3 + 3), (p * 37) & 255], p * 4);
    const m = Float64Array.of(0.7, 0.2, 1.3, -0.1, 0.9, 0.4, 0.001, 0.002, 1);
    const fromRgb = warpPerspective(rgb, m, 11, 7);
    const fromRgba = warpPerspective({ width: 9, height: 6, data: rgba, channels: 4 }, m, 11, 7);
    expect(fromRgba.data).toEqual(fromRgb.data);
  });

  it('gives the same bytes on the axis-aligned path as on the per-pixel path', () => {
    // A term of 5e-324 in M7 changes no sum (it is absorbed by M8 = 1) but sends the warp down
    // the per-pixel path, which computes every coordinate as OpenCV does.
    let seed = 3;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let compared = 0;
    for (let k = 0; k < 300; k++) {
      const [sw, sh] = [1 + Math.floor(next() * 90), 1 + Math.floor(next() * 90)];
      const rgba = next() < 0.25;
      const data = Uint8Array.from({ length: sw * sh * (rgba ? 4 : 3) }, () => Math.floor(next() * 256));
      const src = { width: sw, height: sh, data, channels: rgba ? (4 as const) : (3 as const) };
      const [w, h] = [1 + Math.floor(next() * 70), 1 + Math.floor(next() * 70)];
      // Scales above and below 1, mirrored now and then, offsets reaching past every edge.
      const sx = (next() < 0.2 ? -1 : 1) * (0.05 + next() * 3);
      const sy = (next() < 0.2 ? -1 : 1) * (0.05 + next() * 3);
      const inverse = Float64Array.of(sx, 0, (next() - 0.3) * sw * 1.5, 0, sy, (next() - 0.3) * sh * 1.5, 0, 0, 1);
      const perturbed = Float64Array.from(inverse);
      perturbed[7] = Number.MIN_VALUE;
      const fast = warpPerspectiveInverse(src, inverse, w, h).data;
      const slow = warpPerspectiveInverse(src, perturbed, w, h).data;
      expect(Buffer.compare(Buffer.from(fast), Buffer.from(slow)), `case ${k}: ${sw}x${sh} → ${w}x${h}, M = [${Array.from(inverse)}]`).toBe(0);
      compared += w * h;
    }
    expect(compared).toBeGreaterThan(300_000);
  });

  it('overwrites every byte of a given output buffer', () => {
    const output = new Uint8Array(4 * 3 * 3).fill(99);
    warpPerspectiveInverse(pattern(2, 2), translate(10, 10), 4, 3, output);
    expect(Array.from(new Set(output))).toEqual([0]);
  });

  it('refuses sizes and buffers that do not fit', () => {
    const image = pattern(4, 4);
    expect(() => warpPerspective({ width: 0, height: 4, data: new Uint8Array(0) }, translate(0, 0), 4, 4)).toThrow(/empty 0x4 image/);
    expect(() => warpPerspective({ width: 4, height: 4, data: new Uint8Array(5) }, translate(0, 0), 4, 4)).toThrow(/needs 48 bytes, got 5/);
    expect(() => warpPerspective(image, translate(0, 0), 0, 4)).toThrow(/cannot produce a 0x4 image/);
    expect(() => warpPerspective(image, translate(0, 0), 4, 4, new Uint8Array(3))).toThrow(/output buffer holds 3 bytes/);
    const values = new Float32Array(256);
    expect(() => warpInto(image, translate(0, 0), 4, 4, undefined, { values, floats: new Float32Array(47) })).toThrow(/tensor holds 47 values/);
    expect(() => warpPerspectiveInverse(image, Float64Array.of(1, 0, Number.NaN, 0, 1, 0, 0, 0, 1), 4, 4)).toThrow(/finite 3x3 matrix/);
    const wide = { width: 32767, height: 1, data: new Uint8Array(32767 * 3) };
    expect(() => warpPerspective(wide, translate(0, 0), 4, 4)).toThrow(/OpenCV's remap refuses/);
  });
});
