import { describe, expect, it } from 'vitest';
import { imageToInput } from '../../src/image/to-tensor.js';

describe('imageToInput', () => {
  it('maps 0..255 to [-1, 1] as pixel / 127.5 - 1 in NHWC order', () => {
    const input = imageToInput({ width: 2, height: 1, data: Uint8Array.from([0, 255, 51, 127, 128, 204]) });
    expect(input).toBeInstanceOf(Float32Array);
    expect(Array.from(input)).toEqual([-1, 1, 51 / 127.5 - 1, 127 / 127.5 - 1, 128 / 127.5 - 1, 204 / 127.5 - 1].map(Math.fround));
    // 51 / 127.5 - 1 = -0.6 and 204 / 127.5 - 1 = 0.6, to float32.
    expect(input[2]).toBe(Math.fround(-0.6));
    expect(input[5]).toBe(Math.fround(0.6));
  });
});
