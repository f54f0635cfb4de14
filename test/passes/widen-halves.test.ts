import { describe, expect, it } from 'vitest';
import { widenHalves } from '../../src/passes/widen-halves.js';

/** The float32 bit pattern of half `h` from the IEEE 754 definition: exponent rebiased, fraction moved up, NaN payload kept. */
function bitsByDefinition(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (fraction << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (fraction << 13)) >>> 0;
  // fraction * 2^-24, normalised: float32 has the range for every subnormal half.
  if (fraction === 0) return sign >>> 0;
  const shift = Math.clz32(fraction) - 21;
  return (sign | ((113 - shift) << 23) | (((fraction << shift) & 0x3ff) << 13)) >>> 0;
}

function bitsOf(floats: Float32Array): Uint32Array {
  return new Uint32Array(floats.buffer, floats.byteOffset, floats.length);
}

describe('widenHalves', () => {
  it('gives the IEEE bit pattern of all 65,536 halves, NaN payloads included', () => {
    const halves = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const bits = bitsOf(widenHalves(halves));
    const wrong: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const want = bitsByDefinition(h);
      if (bits[h] !== want) wrong.push(`0x${h.toString(16)}: 0x${bits[h]?.toString(16)}, want 0x${want.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('widens every length, a partial last vector too, and only the elements of a view', () => {
    const backing = Uint16Array.from({ length: 64 }, (_, i) => 0x3c00 + 37 * i);
    for (let length = 0; length <= 19; length++) {
      for (const offset of [0, 1, 5]) {
        const halves = backing.subarray(offset, offset + length);
        const floats = widenHalves(halves);
        expect(floats.length).toBe(length);
        expect(floats.byteOffset).toBe(0);
        expect(Array.from(bitsOf(floats))).toEqual(Array.from(halves, bitsByDefinition));
      }
    }
  });

  it('widens an array longer than one kernel call in pieces, each in its place', () => {
    const halves = Uint16Array.from({ length: (1 << 18) * 2 + 3 }, (_, i) => (i * 2654435761) >>> 16);
    const bits = bitsOf(widenHalves(halves));
    let wrong = 0;
    for (let i = 0; i < halves.length; i++) if (bits[i] !== bitsByDefinition(halves[i]!)) wrong++;
    expect(wrong).toBe(0);
  });

  it('returns arrays of their own, unchanged by later calls', () => {
    const first = widenHalves(Uint16Array.of(0x3c00, 0xc000));
    widenHalves(Uint16Array.from({ length: 1000 }, () => 0x7bff));
    expect(Array.from(first)).toEqual([1, -2]);
    expect(first.buffer.byteLength).toBe(8);
  });
});
