import { describe, expect, test } from 'vitest';
import { readWeights } from '../../../src/runtimes/coreml/weights.js';
import { BufferPool } from '../../../src/runtimes/buffers.js';
import type { LayerContext } from '../../../src/runtimes/coreml/layer-context.js';

const ctx: LayerContext = { index: 0, name: 'w', kind: 'convolution', outputCount: 1, buffers: new BufferPool(), file: 'weights' };

describe('readWeights', () => {
  test('reads float16Value at any byte offset, little-endian', () => {
    const halves = [0x3c00, 0xc000, 0x0001, 0x3555, 0x7c00];
    for (const shift of [0, 1, 2, 3]) {
      const bytes = new Uint8Array(shift + 2 * halves.length);
      halves.forEach((h, i) => {
        bytes[shift + 2 * i] = h & 0xff;
        bytes[shift + 2 * i + 1] = h >> 8;
      });
      const floats = readWeights(ctx, 'weights', { float16Value: bytes.subarray(shift) }, halves.length);
      expect(Array.from(floats)).toEqual([1, -2, 2 ** -24, Math.fround(0.333251953125), Number.POSITIVE_INFINITY]);
    }
  });

  test('hands a Float32Array floatValue back as it is, and converts a plain list', () => {
    const floats = Float32Array.of(1.5, -2);
    expect(readWeights(ctx, 'weights', { floatValue: floats }, 2)).toBe(floats);
    expect(Array.from(readWeights(ctx, 'weights', { floatValue: [1.5, -2] }, 2))).toEqual([1.5, -2]);
    expect(() => readWeights(ctx, 'weights', { floatValue: floats }, 3)).toThrow(/holds 2 values, the layer needs 3/);
  });
});
