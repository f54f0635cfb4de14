/**
 * The WebAssembly float32 operations against the plain loops they replace, bit for bit, on values
 * that test every rule: signed zeros, infinities, subnormals, NaN, bounds that are not float32
 * values, and lengths, planes and rows that leave fewer than four values at the end.
 */
import { describe, expect, test } from 'vitest';
import { arithmeticFloats, clipFloats, maxPool2x2Floats, preluFloats, type ArithmeticOp } from '../../src/runtimes/float32-ops.js';
import { seeded } from './reference/kernels/seeded.js';

const SPECIAL = [0, -0, 1, -1, 6, -6, 1e-45, -1e-45, 3.4e38, -3.4e38, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, -0.1];

/** `count` values: the special ones, then seeded ones spread over [-8, 8). */
function values(count: number): Float32Array {
  const out = seeded(count, 5).map((v) => v * 8);
  out.set(SPECIAL.slice(0, count));
  return out;
}

/** Equal bits, or both NaN (a NaN's payload is not a result). */
function expectSameFloats(actual: Float32Array, expected: Float32Array): void {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  const differ = [...a.keys()].filter((i) => a[i] !== e[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i])));
  expect(differ.map((i) => [i, expected[i], actual[i]])).toEqual([]);
}

describe('clipFloats', () => {
  test.each([
    [0, 6],
    [0, Number.POSITIVE_INFINITY],
    [-1, 1],
    [0.1, 0.7],
    [-0, 0],
    [0, -0],
    [Number.NEGATIVE_INFINITY, 2],
    [3, -3],
    [Number.NaN, 1],
  ])('clamps to [%d, %d] as Math.min(Math.max(x, lo), hi) does', (lo, hi) => {
    for (const n of [1, 3, 4, 17, 1000]) {
      const x = values(n);
      x[n - 1] = Number.NaN;
      const expected = x.map((v) => Math.min(Math.max(v, lo), hi));
      expectSameFloats(clipFloats(x, lo, hi, new Float32Array(n)), expected);
    }
  });
});

describe('preluFloats', () => {
  test.each([
    ['one slope', 1, 7],
    ['a slope per plane', 5, 7],
    ['planes of four', 3, 4],
    ['planes of one', 2, 1],
  ])('%s: x >= 0 ? x : x * slope, plane by plane', (_, channels, plane) => {
    const alpha = Float32Array.from({ length: channels }, (_, c) => [0.25, -0.5, 0, -0, 3][c % 5]!);
    for (const planes of [channels, 3 * channels]) {
      const x = values(planes * plane);
      x[x.length - 1] = Number.NaN;
      const expected = x.map((v, i) => (v >= 0 ? v : v * alpha[Math.floor(i / plane) % channels]!));
      expectSameFloats(preluFloats(x, plane, alpha, new Float32Array(x.length)), expected);
    }
  });
});

describe('arithmeticFloats', () => {
  const plain: Record<ArithmeticOp, (a: number, b: number) => number> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
  };

  test.each(Object.keys(plain) as ArithmeticOp[])('%s gives the float64 result rounded to float32', (op) => {
    for (const n of [1, 6, 4099]) {
      const x = values(n);
      // every special value against every other, then seeded pairs
      const y = Float32Array.from({ length: n }, (_, i) => (i < SPECIAL.length * SPECIAL.length ? SPECIAL[i % SPECIAL.length]! : seeded(n, 9)[i]! * 3));
      for (let i = 0; i < Math.min(n, SPECIAL.length * SPECIAL.length); i++) x[i] = SPECIAL[Math.floor(i / SPECIAL.length)]!;
      const expected = x.map((v, i) => plain[op](v, y[i]!));
      expectSameFloats(arithmeticFloats(op, x, y, new Float32Array(n)), expected);
    }
  });
});

describe('maxPool2x2Floats', () => {
  test.each([
    [2, 2],
    [4, 6],
    [5, 9],
    [3, 16],
    [6, 22],
    [7, 7],
  ])('pools %d x %d planes as Math.max over each window', (h, w) => {
    const planes = 3;
    const x = values(planes * h * w);
    x[x.length - 1] = Number.NaN;
    const [oh, ow] = [Math.floor(h / 2), Math.floor(w / 2)];
    const expected = new Float32Array(planes * oh * ow);
    for (let p = 0; p < planes; p++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let acc = Number.NEGATIVE_INFINITY;
          for (const [dy, dx] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ] as const)
            acc = Math.max(acc, x[(p * h + 2 * oy + dy) * w + 2 * ox + dx]!);
          expected[(p * oh + oy) * ow + ox] = acc;
        }
      }
    }
    expectSameFloats(maxPool2x2Floats(x, h, w, new Float32Array(expected.length)), expected);
  });
});
