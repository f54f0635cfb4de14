/**
 * IEEE 754 binary16 <-> binary32, exact in the widening direction (every half is a float):
 * subnormals, signed zero, infinities and NaN payloads included.
 */

const HALF_TO_FLOAT = buildTable();

function buildTable(): Float32Array {
  const table = new Float32Array(65536);
  const bits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0x1f) {
      bits[h] = sign | 0x7f800000 | (fraction << 13);
    } else if (exponent !== 0) {
      bits[h] = sign | ((exponent - 15 + 127) << 23) | (fraction << 13);
    } else {
      // Subnormal half: fraction * 2^-24, which float32 represents exactly.
      table[h] = (sign ? -1 : 1) * fraction * 2 ** -24;
    }
  }
  return table;
}

export function halfToFloat(half: number): number {
  return HALF_TO_FLOAT[half & 0xffff] as number;
}

/** The table's bit patterns: copied as integers, a NaN keeps its payload (V8's optimised float stores may quiet it). */
const HALF_TO_FLOAT_BITS = new Uint32Array(HALF_TO_FLOAT.buffer);

export function halvesToFloats(halves: Uint16Array): Float32Array {
  const out = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = HALF_TO_FLOAT_BITS[halves[i] as number] as number;
  return new Float32Array(out.buffer);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds a float32 to the nearest half, ties to even, overflowing to infinity as IEEE does. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  return halfFromFloatBits(u32[0] as number);
}

/** floatToHalf of the float32 whose bit pattern is `x`. */
function halfFromFloatBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and can reach infinity).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

export function floatsToHalves(floats: Float32Array): Uint16Array {
  const out = new Uint16Array(floats.length);
  // The bit patterns straight from the array's memory: no round trip through a scratch float per element.
  const bits = new Uint32Array(floats.buffer, floats.byteOffset, floats.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfFromFloatBits(bits[i] as number);
  return out;
}

/** 1.5 * 2^28: its float64 ulp is 2^-24, the spacing of the halves below 2^-14. */
const SUBNORMAL_ROUNDER = 402653184;

/**
 * Rounds every element to the nearest half float (ties to even) in place, keeping it a float32:
 * the value floatToHalf then halfToFloat give, bit for bit (NaN payloads too), without the
 * half in between. The executors round every float16 result with it, so it works on the bit
 * patterns: a normal half keeps the top 10 fraction bits of the float32, rounded on bits 0-12;
 * below the smallest normal half the step is a fixed 2^-24, which one float64 addition of a
 * constant whose ulp is 2^-24 rounds to, ties to even.
 */
export function roundToHalves(floats: Float32Array): Float32Array {
  const bits = new Uint32Array(floats.buffer, floats.byteOffset, floats.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const magnitude = x & 0x7fffffff;
    if (magnitude < 0x38800000) {
      const r = Math.abs(floats[i]!) + SUBNORMAL_ROUNDER - SUBNORMAL_ROUNDER;
      floats[i] = x >>> 31 ? -r : r;
    } else if (magnitude < 0x477ff000) {
      // A carry out of the fraction bumps the exponent, as the half's would.
      bits[i] = (x + 0xfff + ((x >>> 13) & 1)) & 0xffffe000;
    } else if (magnitude < 0x7f800000) {
      // 65520 and up round past the largest half, 65504.
      bits[i] = (x & 0x80000000) | 0x7f800000;
    } else if (magnitude > 0x7f800000) {
      // A NaN keeps the top 10 fraction bits and is made quiet, as floatToHalf does.
      bits[i] = (x & 0xffffe000) | 0x400000;
    }
  }
  return floats;
}
