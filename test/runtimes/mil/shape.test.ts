import { describe, expect, test } from 'vitest';
import { op, run, single, value, type HandProgram } from './program.js';

describe('MIL reshape, transpose, concat', () => {
  test('reshape infers one -1 and refuses shapes that do not hold the elements', () => {
    expect(run(single('reshape', [2, 3], { shape: value.ints([3, -1]) }, [3, 2]), { x: [0, 1, 2, 3, 4, 5] }).y).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => run(single('reshape', [2, 3], { shape: value.ints([4, -1]) }, [4, 1]), { x: [0, 1, 2, 3, 4, 5] })).toThrow(/does not hold the 6 elements/);
    expect(() => run(single('reshape', [2, 3], { shape: value.ints([0, 6]) }, [1, 6]), { x: [0, 1, 2, 3, 4, 5] })).toThrow(
      /entries must be positive with at most one -1/,
    );
  });

  test('transpose [2,3] by [1, 0] and by [-1, 0]', () => {
    for (const perm of [
      [1, 0],
      [-1, 0],
    ]) {
      expect(run(single('transpose', [2, 3], { perm: value.ints(perm) }, [3, 2]), { x: [0, 1, 2, 3, 4, 5] }).y).toEqual([0, 3, 1, 4, 2, 5]);
    }
  });

  test('concat of three inputs along axis 1 and axis -1', () => {
    for (const axis of [1, -1]) {
      const p = {
        inputs: [
          { name: 'a', shape: [2, 1] },
          { name: 'b', shape: [2, 2] },
        ],
        operations: [
          op('concat', { values: ['a', 'b', value.fp32([2, 1], [7, 8])], axis: value.int(axis), interleave: value.bool(false) }, [
            { name: 'y', type: 'fp32', shape: [2, 4] },
          ]),
        ],
        outputs: [{ name: 'y', type: 'fp32', shape: [2, 4] }],
      } as const;
      expect(run(p, { a: [1, 2], b: [3, 4, 5, 6] }).y).toEqual([1, 3, 4, 7, 2, 5, 6, 8]);
    }
  });

  test('concat refuses interleave and mismatched shapes', () => {
    const mk = (interleave: boolean, bShape: number[]): HandProgram => ({
      inputs: [
        { name: 'a', shape: [2, 1] },
        { name: 'b', shape: bShape },
      ],
      operations: [op('concat', { values: ['a', 'b'], axis: value.int(1), interleave: value.bool(interleave) }, [{ name: 'y', type: 'fp32', shape: [2, 2] }])],
      outputs: [{ name: 'y', type: 'fp32', shape: [2, 2] }],
    });
    expect(() => run(mk(true, [2, 1]), { a: [1, 2], b: [3, 4] })).toThrow(/input interleave: true is not implemented/);
    expect(() => run(mk(false, [1, 2]), { a: [1, 2], b: [3, 4] })).toThrow(/input values\[1\]: shape \[1, 2\] differs from \[2, 1\] off axis 1/);
  });
});

describe('MIL pad', () => {
  test('constant 7 on the last two axes of [1,2,2]: one row before, two columns after', () => {
    const p = single('pad', [1, 2, 2], { pad: value.ints([1, 0, 0, 2]), mode: value.string('constant'), constant_val: value.float(7) }, [1, 3, 4]);
    expect(run(p, { x: [1, 2, 3, 4] }).y).toEqual([7, 7, 7, 7, 1, 2, 7, 7, 3, 4, 7, 7]);
  });

  test('replicate repeats the edge, reflect mirrors without it', () => {
    expect(run(single('pad', [3], { pad: value.ints([2, 1]), mode: value.string('replicate') }, [6]), { x: [1, 2, 3] }).y).toEqual([1, 1, 1, 2, 3, 3]);
    expect(run(single('pad', [3], { pad: value.ints([2, 1]), mode: value.string('reflect') }, [6]), { x: [1, 2, 3] }).y).toEqual([3, 2, 1, 2, 3, 2]);
    expect(() => run(single('pad', [3], { pad: value.ints([3, 0]), mode: value.string('reflect') }, [6]), { x: [1, 2, 3] })).toThrow(
      /reflect padding of axis 0 \(size 3\) can be at most 2/,
    );
  });

  test('zero channel padding on all four axes of NCHW, as BlazeBlocks use it', () => {
    const p = single('pad', [1, 1, 1, 2], { pad: value.ints([0, 0, 0, 2, 0, 0, 0, 0]) }, [1, 3, 1, 2]);
    expect(run(p, { x: [5, 6] }).y).toEqual([5, 6, 0, 0, 0, 0]);
  });
});

describe('MIL depth_to_space', () => {
  test('block 2 moves channels in TensorFlow order (DCR): output (h*2+i, w*2+j) reads channel i*2+j', () => {
    const p = single('depth_to_space', [1, 4, 1, 2], { block_size: value.int(2) }, [1, 1, 2, 4]);
    expect(run(p, { x: [0, 1, 10, 11, 20, 21, 30, 31] }).y).toEqual([0, 10, 1, 11, 20, 30, 21, 31]);
  });

  test('a block whose square does not divide the channels is refused', () => {
    expect(() => run(single('depth_to_space', [1, 2, 1, 1], { block_size: value.int(2) }, [1, 1, 2, 2]), { x: [1, 2] })).toThrow(
      /block_size: 2 must be at least 2 with its square dividing the 2 channels/,
    );
  });
});
