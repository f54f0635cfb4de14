import { describe, expect, it } from 'vitest';
import { depthToSpace } from '../../../../src/runtimes/reference/kernels/depth-to-space.js';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';

describe('depthToSpace', () => {
  it('spreads one pixel of depth 4 into a 2x2 block in row-major order', () => {
    const out = depthToSpace(tensor([1, 1, 1, 4], [10, 11, 12, 13]), 2);
    expect(out.shape).toEqual([1, 2, 2, 1]);
    expect([...out.data]).toEqual([10, 11, 12, 13]);
  });

  it('keeps channel pairs together in a 1x2x1x8 input (by hand)', () => {
    // Output depth 2; block cell (r, s) of pixel p takes channels 2*(2r+s) and 2*(2r+s)+1.
    const a = [0, 1, 2, 3, 4, 5, 6, 7];
    const b = [20, 21, 22, 23, 24, 25, 26, 27];
    const out = depthToSpace(tensor([1, 2, 1, 8], [...a, ...b]), 2);
    expect(out.shape).toEqual([1, 4, 2, 2]);
    // Rows: (a0 a1 | a2 a3), (a4 a5 | a6 a7), then the same for b.
    expect([...out.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23, 24, 25, 26, 27]);
  });

  it('interleaves neighbouring pixels of a 1x1x2x8 input (by hand)', () => {
    const p = [0, 1, 2, 3, 4, 5, 6, 7];
    const q = [10, 11, 12, 13, 14, 15, 16, 17];
    const out = depthToSpace(tensor([1, 1, 2, 8], [...p, ...q]), 2);
    expect(out.shape).toEqual([1, 2, 4, 2]);
    expect([...out.data]).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 4, 5, 6, 7, 14, 15, 16, 17]);
  });

  it('handles block size 3 by the index formula', () => {
    const [h, w, c] = [2, 3, 18];
    const x = tensor(
      [1, h, w, c],
      Array.from({ length: h * w * c }, (_, i) => i),
    );
    const out = depthToSpace(x, 3);
    expect(out.shape).toEqual([1, 6, 9, 2]);
    for (let y = 0; y < 6; y++)
      for (let xx = 0; xx < 9; xx++)
        for (let ch = 0; ch < 2; ch++) {
          const src = (Math.floor(y / 3) * w + Math.floor(xx / 3)) * c + ((y % 3) * 3 + (xx % 3)) * 2 + ch;
          expect(out.data[(y * 9 + xx) * 2 + ch]).toBe(src);
        }
  });

  it('rejects a depth that is not a multiple of the block area', () => {
    expect(() => depthToSpace(tensor([1, 1, 1, 6]), 2)).toThrow(KernelError);
  });
});
