import { describe, expect, it } from 'vitest';
import { broadcastBinary, broadcastShape, relu, transposeTensor, type BinaryOp } from '../../src/runtimes/tensor.js';
import { axisWindows, outputSize, samePadding } from '../../src/runtimes/window.js';
import { seeded } from './reference/kernels/seeded.js';

/** Element by element through explicit indices: the plainest reading of NumPy broadcasting. */
function naiveBinary(f: (u: number, v: number) => number, a: Float32Array, as: number[], b: Float32Array, bs: number[], shape: number[]): number[] {
  const rank = shape.length;
  const at = (data: Float32Array, own: number[], index: number[]): number => {
    let flat = 0;
    own.forEach((d, i) => (flat = flat * d + (d === 1 ? 0 : index[rank - own.length + i]!)));
    return data[flat]!;
  };
  const out: number[] = [];
  const index = new Array<number>(rank).fill(0);
  const total = shape.reduce((x, y) => x * y, 1);
  for (let n = 0; n < total; n++) {
    out.push(Math.fround(f(at(a, as, index), at(b, bs, index))));
    for (let axis = rank - 1; axis >= 0 && ++index[axis]! === shape[axis]; axis--) index[axis] = 0;
  }
  return out;
}

const OPS: Record<BinaryOp, (u: number, v: number) => number> = {
  add: (u, v) => u + v,
  sub: (u, v) => u - v,
  mul: (u, v) => u * v,
  div: (u, v) => u / v,
  min: (u, v) => (u < v ? u : v),
  max: (u, v) => (u > v ? u : v),
};

describe('broadcastBinary', () => {
  const cases: [number[], number[]][] = [
    [
      [2, 3, 5],
      [2, 3, 5],
    ],
    [
      [2, 3, 5],
      [3, 1],
    ],
    [
      [1, 3, 1, 5],
      [2, 1, 4, 1],
    ],
    [[4, 1], [5]],
    [[7], [1]],
    // Axes the executor merges into longer runs: per channel, scalar, per plane, and mixed.
    [
      [1, 4, 3, 5],
      [1, 4, 1, 1],
    ],
    [[1, 4, 3, 5], []],
    [
      [1, 1, 3, 5],
      [2, 4, 3, 5],
    ],
    [
      [2, 4, 1, 5],
      [2, 1, 3, 1],
    ],
    [
      [3, 1, 1],
      [1, 1, 1],
    ],
  ];
  for (const [as, bs] of cases) {
    it(`matches an index-by-index reading for [${as}] and [${bs}]`, () => {
      const shape = broadcastShape(as, bs)!;
      const a = {
        shape: as,
        data: seeded(
          as.reduce((x, y) => x * y, 1),
          1,
        ),
      };
      const b = {
        shape: bs,
        data: seeded(
          bs.reduce((x, y) => x * y, 1),
          2,
        ),
      };
      for (const op of Object.keys(OPS) as BinaryOp[]) {
        expect([...broadcastBinary(op, a, b, shape)], op).toEqual(naiveBinary(OPS[op], a.data, as, b.data, bs, shape));
      }
    });
  }

  it('says when shapes do not broadcast', () => {
    expect(broadcastShape([2, 3], [4, 3])).toBeUndefined();
    expect(broadcastShape([3, 1, 5], [4, 1])).toEqual([3, 4, 5]);
  });
});

describe('relu on bit patterns', () => {
  const special = Float32Array.from([-2.5, -0, 0, 1e-45, -1e-45, 3.5, Infinity, -Infinity, NaN, -NaN, 3.4028234663852886e38]);
  const negativeNaN = new Float32Array(new Uint32Array([0xffc00001]).buffer);
  const all = Float32Array.from([...special, ...negativeNaN, ...seeded(64, 3)]);

  it("'keep' is Math.max(0, x) for every value, NaNs of either sign included", () => {
    expect([...relu(all, 'keep')]).toEqual([...all].map((v) => Math.fround(Math.max(0, v))));
  });

  it("'zero' is x > 0 ? x : 0 for every value, so every NaN becomes +0", () => {
    expect([...relu(all, 'zero')]).toEqual([...all].map((v) => (v > 0 ? v : 0)));
  });

  it('reads a view at an offset into a larger buffer', () => {
    const view = all.subarray(3, 9);
    expect([...relu(view, 'keep')]).toEqual([...view].map((v) => Math.max(0, v)));
  });
});

describe('transposeTensor', () => {
  it('moves axes as perm says', () => {
    const t = transposeTensor({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, [1, 0]);
    expect(t.shape).toEqual([3, 2]);
    expect([...t.data]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('axisWindows', () => {
  it('gives each output its in-range taps and the interior where all are in range', () => {
    // in 7, 3 taps, stride 2, dilation 1, SAME: out 4, pads 1/1.
    const pads = samePadding(7, 3, 2);
    expect(pads).toEqual({ before: 1, after: 1 });
    const size = outputSize(7, 3, 2, 1, pads);
    const w = axisWindows(7, 3, 2, 1, pads.before, size);
    expect([...w.origin]).toEqual([-1, 1, 3, 5]);
    expect([...w.first]).toEqual([1, 0, 0, 0]);
    expect([...w.end]).toEqual([3, 3, 3, 2]);
    expect([w.interiorStart, w.interiorEnd]).toEqual([1, 3]);
  });

  it('has an empty interior when no window fits wholly inside', () => {
    const w = axisWindows(2, 5, 1, 1, 2, outputSize(2, 5, 1, 1, { before: 2, after: 2 }));
    expect(w.size).toBe(2);
    expect(w.interiorEnd - w.interiorStart).toBe(0);
  });

  it('counts dilated taps', () => {
    // in 6, 2 taps 3 apart, no padding: out 3, every window whole.
    const w = axisWindows(6, 2, 1, 3, 0, outputSize(6, 2, 1, 3, { before: 0, after: 0 }));
    expect(w.size).toBe(3);
    expect([w.interiorStart, w.interiorEnd]).toEqual([0, 3]);
  });
});
