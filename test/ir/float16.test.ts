import { describe, expect, it } from 'vitest';
import { floatToHalf, floatsToHalves, halfToFloat, halvesToFloats, roundToHalves } from '../../src/ir/float16.js';
import { xorshift32 } from '../../scripts/fuzz/random.js';

/** An independent decode straight from the IEEE 754 definition, in float64 arithmetic. */
function halfByDefinition(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

describe('float16 -> float32', () => {
  it('agrees with the IEEE definition for all 65,536 halves, bit for bit', () => {
    const all = halvesToFloats(Uint16Array.from({ length: 65536 }, (_, i) => i));
    // One expect over the mismatches: an expect per half is most of this test's time.
    const wrong: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const want = halfByDefinition(h);
      const got = all[h] as number;
      if (Number.isNaN(want) ? !Number.isNaN(got) : !Object.is(got, want)) wrong.push(`0x${h.toString(16)}: ${got}, want ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps signed zero, the smallest subnormal, the largest normal and infinities', () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(Object.is(halfToFloat(0x0000), 0)).toBe(true);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
  });

  it('keeps NaN payload bits', () => {
    const f = new Float32Array([halfToFloat(0x7e01)]);
    expect(new Uint32Array(f.buffer)[0]).toBe(0x7fc02000);
  });

  it('keeps the payload of a signalling NaN in halvesToFloats, also once the loop is optimised', () => {
    const halves = Uint16Array.from({ length: 1024 }, (_, i) => (i % 7 === 0 ? 0x7c01 : 0x3c00 + i));
    const changed = new Set<number>();
    for (let run = 0; run < 500; run++) {
      const bits = new Uint32Array(halvesToFloats(halves).buffer);
      for (let i = 0; i < halves.length; i += 7) if (bits[i] !== 0x7f802000) changed.add(bits[i] as number);
    }
    expect([...changed]).toEqual([]);
  });
});

describe('float32 -> float16', () => {
  it('round-trips every finite half exactly', () => {
    const wrong: string[] = [];
    for (let h = 0; h < 65536; h++) {
      if (((h >> 10) & 0x1f) === 31 && (h & 0x3ff) !== 0) continue;
      const back = floatToHalf(halfToFloat(h));
      if (back !== h) wrong.push(`0x${h.toString(16)} -> 0x${back.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest, ties to even, and overflows to infinity', () => {
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1+2^-10: even is 1
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: even is 1+2^-9
    expect(floatToHalf(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(65519)).toBe(0x7bff);
    expect(floatToHalf(2 ** -25)).toBe(0x0000); // half of the smallest subnormal: tie to even 0
    expect(floatToHalf(3 * 2 ** -25)).toBe(0x0002);
    expect(floatToHalf(-0)).toBe(0x8000);
  });
});

describe('whole arrays', () => {
  /** Float32 values of every kind: normals, subnormals of both formats, ties, overflow, signed zero, NaN. */
  const floats = Float32Array.from([
    ...Array.from({ length: 4096 }, (_, i) => Math.sin(i) * 2 ** ((i % 60) - 30)),
    1 + 2 ** -11,
    1 + 3 * 2 ** -11,
    65519,
    65520,
    -65520,
    2 ** -25,
    3 * 2 ** -25,
    2 ** -140,
    -0,
    Infinity,
    -Infinity,
    NaN,
  ]);

  it('floatsToHalves is floatToHalf of each element', () => {
    expect([...floatsToHalves(floats)]).toEqual([...floats].map(floatToHalf));
  });

  it('roundToHalves rounds in place to the float of floatToHalf of each element', () => {
    const expected = [...floats].map((v) => halfToFloat(floatToHalf(v)));
    const copy = floats.slice();
    expect(roundToHalves(copy)).toBe(copy);
    expect([...copy]).toEqual(expected);
  });

  it('reads the elements of a view, not its whole buffer', () => {
    const view = floats.subarray(5, 9);
    expect([...floatsToHalves(view)]).toEqual([...view].map(floatToHalf));
  });
});

describe('roundToHalves against the half round trip', () => {
  /** Indices where roundToHalves differs from floatsToHalves then halvesToFloats, compared as bit patterns. */
  function mismatches(bits: Uint32Array): string[] {
    const expected = new Uint32Array(halvesToFloats(floatsToHalves(new Float32Array(bits.slice().buffer))).buffer);
    const got = new Uint32Array(roundToHalves(new Float32Array(bits.slice().buffer)).buffer);
    const found: string[] = [];
    for (let i = 0; i < bits.length && found.length < 5; i++) {
      if (got[i] !== expected[i]) found.push(`0x${bits[i]!.toString(16)}: got 0x${got[i]!.toString(16)}, expected 0x${expected[i]!.toString(16)}`);
    }
    return found;
  }

  it('agrees on every sign and exponent, for fractions at, around and carrying out of the ties', () => {
    const next = xorshift32(11);
    // Bits 13 and 12 are the kept parity and the halfway bit of a normal half; the rest are
    // all clear, all set (a carry into the exponent) or random.
    const highs = [0, 0x3ff, ...Array.from({ length: 6 }, () => next() & 0x3ff)];
    const lows = [0, 1, 0x7ff, 0x800, 0x801, 0xfff];
    const bits: number[] = [];
    for (let signExponent = 0; signExponent < 512; signExponent++) {
      for (const high of highs)
        for (let parityHalf = 0; parityHalf < 4; parityHalf++)
          for (const low of lows) bits.push(((signExponent << 23) | (high << 14) | (parityHalf << 12) | low) >>> 0);
    }
    expect(mismatches(Uint32Array.from(bits))).toEqual([]);
  });

  it('agrees below the smallest normal half, where the rounding bit moves: every tie and its neighbours', () => {
    const scratch = new Float32Array(1);
    const scratchBits = new Uint32Array(scratch.buffer);
    const bits: number[] = [];
    for (let n = 0; n < 2048; n++) {
      scratch[0] = (n + 0.5) * 2 ** -24;
      for (const sign of [0, 0x80000000]) for (const step of [-1, 0, 1]) bits.push(((scratchBits[0]! + step) | sign) >>> 0);
    }
    expect(mismatches(Uint32Array.from(bits))).toEqual([]);
  });

  it('agrees on a million random bit patterns, half of them below the smallest normal half', () => {
    const next = xorshift32(7);
    const bits = Uint32Array.from(
      { length: 2 ** 20 },
      (_, i) => (i & 1 ? next() : ((next() % (0x38800000 - 0x33000000)) + 0x33000000) | (next() & 0x80000000)) >>> 0,
    );
    expect(mismatches(bits)).toEqual([]);
  });
});
