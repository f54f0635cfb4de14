import { describe, expect, test } from 'vitest';
import { run, single, value } from './program.js';

/** x [2,2,3]: [[1,2,3],[4,5,6]] and [[1,0,0],[0,1,0]]; y [3,2] = [[1,0],[0,1],[1,1]] broadcast over the batch. */
const X = [1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0];
const EXPECTED = [4, 5, 10, 11, 1, 0, 0, 1];

describe('MIL matmul', () => {
  test('batch [2] times a matrix', () => {
    expect(
      run(
        single('matmul', [2, 2, 3], { y: value.fp32([3, 2], [1, 0, 0, 1, 1, 1]), transpose_x: value.bool(false), transpose_y: value.bool(false) }, [2, 2, 2]),
        { x: X },
      ).y,
    ).toEqual(EXPECTED);
  });

  test('transpose_y reads y [2,3] as its transpose', () => {
    expect(run(single('matmul', [2, 2, 3], { y: value.fp32([2, 3], [1, 0, 1, 0, 1, 1]), transpose_y: value.bool(true) }, [2, 2, 2]), { x: X }).y).toEqual(
      EXPECTED,
    );
  });

  test('transpose_x reads each x [3,2] as its transpose', () => {
    const xT = [1, 4, 2, 5, 3, 6, 1, 0, 0, 1, 0, 0];
    expect(run(single('matmul', [2, 3, 2], { y: value.fp32([3, 2], [1, 0, 0, 1, 1, 1]), transpose_x: value.bool(true) }, [2, 2, 2]), { x: xT }).y).toEqual(
      EXPECTED,
    );
  });

  test('inner sizes that differ and rank-1 operands are refused', () => {
    expect(() => run(single('matmul', [2, 3], { y: value.fp32([2, 2], [1, 0, 0, 1]) }, [2, 2]), { x: [1, 2, 3, 4, 5, 6] })).toThrow(
      /inner sizes differ: x gives 3, y gives 2/,
    );
    expect(() => run(single('matmul', [3], { y: value.fp32([3, 1], [1, 1, 1]) }, [1]), { x: [1, 2, 3] })).toThrow(/rank 1 operands are not implemented/);
  });
});
