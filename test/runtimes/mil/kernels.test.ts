import { describe, expect, test } from 'vitest';
import { halfToFloat, roundToHalves } from '../../../src/ir/float16.js';
import { binaryFloats, clipFloats, reluFloats, roundHalves, type BinaryOp } from '../../../src/runtimes/mil/kernels.js';
import { relu } from '../../../src/runtimes/tensor.js';

/**
 * Where two float32 arrays first differ bit for bit, as text; undefined when they agree (one
 * comparison of the whole arrays would have the test framework walk hundreds of thousands of
 * elements).
 */
function firstDifference(actual: Float32Array, expected: Float32Array): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) return `index ${i}: 0x${a[i]!.toString(16)}, expected 0x${e[i]!.toString(16)}`;
  }
  return undefined;
}

/** A deterministic stream of uint32s (mulberry32). */
function uint32s(seed: number, count: number): Uint32Array {
  let a = seed;
  return Uint32Array.from({ length: count }, () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  });
}

/**
 * Float32 patterns where rounding to halves can go wrong: around every midpoint between
 * neighbouring halves (ties, and one float32 either side), both signs, the subnormal, overflow,
 * infinity and NaN ranges, and random patterns.
 */
function hardPatterns(): Float32Array {
  const patterns: number[] = [];
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let h = 0; h < 0x7c00; h++) {
    f[0] = (halfToFloat(h) + halfToFloat(h + 1)) / 2;
    for (const d of [-1, 0, 1]) for (const sign of [0, 0x80000000]) patterns.push((((u[0]! + d) | sign) >>> 0) as number);
  }
  for (const special of [0, 0x7f800000, 0x7f800001, 0x7fc00000, 0x7fffffff, 0x477ff000, 0x477fefff, 0x38800000, 0x387fffff, 0x33000000, 0x33000001])
    for (const sign of [0, 0x80000000]) patterns.push((special | sign) >>> 0);
  const out = new Uint32Array([...patterns, ...uint32s(1, 1 << 16)]);
  return new Float32Array(out.buffer);
}

describe('MIL WebAssembly kernels against the TypeScript loops', () => {
  test('roundHalves is roundToHalves bit for bit, NaN payloads included', () => {
    const input = hardPatterns();
    const want = roundToHalves(input.slice());
    // An odd length and an offset view: the kernels handle a last, partly used vector.
    for (const data of [input.slice(), input.slice(3), input.subarray(5, 5 + 4099).slice()]) {
      const expected = data.length === want.length ? want : roundToHalves(data.slice());
      expect(firstDifference(roundHalves(data), expected)).toBeUndefined();
    }
  });

  test("reluFloats is relu 'keep' bit for bit", () => {
    const input = hardPatterns();
    expect(firstDifference(reluFloats(input, new Float32Array(input.length)), relu(input, 'keep'))).toBeUndefined();
  });

  test('clipFloats is Math.min(Math.max(x, lo), hi), and reports a NaN', () => {
    const input = hardPatterns().filter((v) => !Number.isNaN(v));
    for (const [lo, hi] of [
      [0, 6],
      [-0, 0],
      [0, -0],
      [-1.5, 2.25],
    ] as const) {
      const out = new Float32Array(input.length);
      expect(clipFloats(input, lo, hi, out)).toBe(true);
      const want = Float32Array.from(input, (v) => Math.min(Math.max(v, lo), hi));
      expect(firstDifference(out, want)).toBeUndefined();
    }
    expect(clipFloats(Float32Array.of(1, Number.NaN, 2), 0, 6, new Float32Array(3))).toBe(false);
  });

  const expressions: Record<BinaryOp, (u: number, v: number) => number> = {
    add: (u, v) => u + v,
    sub: (u, v) => u - v,
    mul: (u, v) => u * v,
    div: (u, v) => u / v,
    max: (u, v) => (u > v ? u : v),
    min: (u, v) => (u < v ? u : v),
  };

  test.each(Object.keys(expressions) as BinaryOp[])('binaryFloats %s: both operands advancing, one held, and a NaN reported', (op) => {
    const f = expressions[op];
    const finite = (seed: number, n: number) => Float32Array.from(uint32s(seed, n), (r) => (r / 2 ** 32 - 0.5) * 2 ** ((r % 40) - 20));
    const x = Float32Array.of(0, -0, 1, -1, 2 ** -149, 65504, ...finite(2, 999));
    // Signed zeros against each other, except where that makes a NaN (0 / 0).
    const y = Float32Array.of(op === 'div' ? 1 : -0, op === 'div' ? -1 : 0, 1, 3, -(2 ** -149), 1e-30, ...finite(3, 999));
    const out = new Float32Array(x.length);
    expect(binaryFloats(op, x, 1, y, 1, [{ o: 0, pa: 0, pb: 0, n: x.length }], false, out)).toBe(true);
    expect(
      firstDifference(
        out,
        Float32Array.from(x, (u, i) => f(u, y[i]!)),
      ),
    ).toBeUndefined();
    // Runs of 7 over x, each against one value of y (a per-channel operand); then y advancing against one x.
    const runs = Array.from({ length: Math.floor(x.length / 7) }, (_, r) => ({ o: 7 * r, pa: 7 * r, pb: r, n: 7 }));
    const held = new Float32Array(7 * runs.length);
    expect(binaryFloats(op, x, 1, y, 0, runs, false, held)).toBe(true);
    expect(
      firstDifference(
        held,
        Float32Array.from(held, (_, i) => f(x[i]!, y[Math.floor(i / 7)]!)),
      ),
    ).toBeUndefined();
    const first = new Float32Array(y.length);
    expect(binaryFloats(op, x, 0, y, 1, [{ o: 0, pa: 4, pb: 0, n: y.length }], false, first)).toBe(true);
    expect(
      firstDifference(
        first,
        Float32Array.from(y, (v) => f(x[4]!, v)),
      ),
    ).toBeUndefined();
    // Rounded to halves afterwards when asked.
    expect(binaryFloats(op, x, 1, y, 1, [{ o: 0, pa: 0, pb: 0, n: x.length }], true, out)).toBe(true);
    expect(firstDifference(out, roundToHalves(Float32Array.from(x, (u, i) => f(u, y[i]!))))).toBeUndefined();
    // A NaN out (in y, which both comparisons pick when they fail) is reported.
    const nan = Float32Array.of(1, Number.NaN);
    expect(binaryFloats(op, Float32Array.of(1, 1), 1, nan, 1, [{ o: 0, pa: 0, pb: 0, n: 2 }], false, new Float32Array(2))).toBe(false);
  });
});
