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

export function halvesToFloats(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = HALF_TO_FLOAT[halves[i] as number] as number;
  return out;
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

/** Rounds every element to the nearest half float (ties to even) in place, keeping it a float32. */
export function roundToHalves(floats: Float32Array): Float32Array {
  const bits = new Uint32Array(floats.buffer, floats.byteOffset, floats.length);
  for (let i = 0; i < floats.length; i++) floats[i] = HALF_TO_FLOAT[halfFromFloatBits(bits[i] as number)] as number;
  return floats;
}
