import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { resizeBilinear } from '../../../../src/runtimes/reference/kernels/resize-bilinear.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { expectClose, seeded } from './seeded.js';

const square = tensor([1, 2, 2, 1], [1, 2, 3, 4]);

describe('resizeBilinear', () => {
  it('upsamples 2x2 to 4x4 with half-pixel centres (by hand)', () => {
    // Source coordinates (o + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25: the outer ones clamp to
    // the edge cell, so each row [p, q] becomes [p, 0.75p+0.25q, 0.25p+0.75q, q].
    const out = resizeBilinear(square, [4, 4], { alignCorners: false, halfPixelCenters: true });
    expect(out.shape).toEqual([1, 4, 4, 1]);
    expect([...out.data]).toEqual([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  });

  it('upsamples 2x2 to 4x4 with the legacy corner mapping (by hand)', () => {
    // Source o/2 = 0, 0.5, 1, 1.5; 1.5 reads cell 1 twice.
    const out = resizeBilinear(square, [4, 4], { alignCorners: false, halfPixelCenters: false });
    expect([...out.data]).toEqual([1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4]);
  });

  it('maps corners to corners with align_corners (by hand)', () => {
    // Scale (2-1)/(3-1) = 0.5: source 0, 0.5, 1.
    const out = resizeBilinear(square, [3, 3], { alignCorners: true, halfPixelCenters: false });
    expect([...out.data]).toEqual([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
  });

  it('matches clamped half-pixel interpolation for 1x3x5x2 -> 7x4', () => {
    // Written the ONNX way: clamp the source coordinate into [0, in-1] first, then blend the
    // floor cell with the next one. TFLite's clamp-the-indices form gives the same values.
    const [inH, inW, c, outH, outW] = [3, 5, 2, 7, 4];
    const x = tensor([1, inH, inW, c], seeded(inH * inW * c, 61));
    const out = resizeBilinear(x, [outH, outW], { alignCorners: false, halfPixelCenters: true });
    expect(out.shape).toEqual([1, outH, outW, c]);
    const tap = (o: number, inSize: number, outSize: number): [number, number, number] => {
      const s = Math.min(Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
      const lo = Math.floor(s);
      return [lo, Math.min(lo + 1, inSize - 1), s - lo];
    };
    const expected: number[] = [];
    for (let y = 0; y < outH; y++) {
      const [y0, y1, fy] = tap(y, inH, outH);
      for (let xx = 0; xx < outW; xx++) {
        const [x0, x1, fx] = tap(xx, inW, outW);
        for (let ch = 0; ch < c; ch++) {
          const v = (yy: number, xc: number): number => x.data[(yy * inW + xc) * c + ch]!;
          const top = v(y0, x0) + (v(y0, x1) - v(y0, x0)) * fx;
          const bottom = v(y1, x0) + (v(y1, x1) - v(y1, x0)) * fx;
          expected.push(top + (bottom - top) * fy);
        }
      }
    }
    expectClose(out.data, expected);
  });

  it('refuses align_corners together with half_pixel_centers', () => {
    expect(() => resizeBilinear(square, [4, 4], { alignCorners: true, halfPixelCenters: true })).toThrow(KernelError);
  });
});
