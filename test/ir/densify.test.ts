import { describe, expect, it } from 'vitest';
import { densify } from '../../src/ir/densify.js';
import type { Sparsity } from '../../src/ir/graph.js';
import { GraphError } from '../../src/ir/errors.js';

const dense = (size: number) => ({ format: 'DENSE', denseSize: size }) as const;
const csr = (segments: number[], indices: number[], type: 'int32' | 'uint16' | 'uint8' = 'uint8') => {
  const make = { int32: Int32Array, uint16: Uint16Array, uint8: Uint8Array }[type];
  return { format: 'SPARSE_CSR', arraySegments: make.from(segments), arrayIndices: make.from(indices) } as const;
};

describe('densify', () => {
  // [[0, 1, 0, 2],
  //  [0, 0, 0, 0],
  //  [3, 0, 0, 4]]  stored row-major, CSR on the last axis.
  const matrix = [0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4];

  it.each(['int32', 'uint16', 'uint8'] as const)('expands CSR on the last axis with %s index vectors', (type) => {
    const sparsity: Sparsity = { traversalOrder: [0, 1], blockMap: [], dimMetadata: [dense(3), csr([0, 2, 2, 4], [1, 3, 0, 3], type)] };
    expect(Array.from(densify(new Float32Array([1, 2, 3, 4]), [3, 4], sparsity, 't'))).toEqual(matrix);
  });

  it('follows a column-major traversal order', () => {
    // Columns first: column 0 has row 2 (3), column 1 row 0 (1), column 2 nothing, column 3 rows 0 and 2 (2, 4).
    const sparsity: Sparsity = { traversalOrder: [1, 0], blockMap: [], dimMetadata: [dense(4), csr([0, 1, 2, 2, 4], [2, 0, 0, 2])] };
    expect(Array.from(densify(new Float32Array([3, 1, 2, 4]), [3, 4], sparsity, 't'))).toEqual(matrix);
  });

  it('expands a block-sparse tensor (2x2 blocks, CSR over block columns)', () => {
    // 4x4 with two non-zero 2x2 blocks: block (0,1) = [[1,2],[3,4]] and block (1,0) = [[5,6],[7,8]].
    //  [[0, 0, 1, 2],
    //   [0, 0, 3, 4],
    //   [5, 6, 0, 0],
    //   [7, 8, 0, 0]]
    const sparsity: Sparsity = {
      traversalOrder: [0, 1, 2, 3],
      blockMap: [0, 1],
      dimMetadata: [dense(2), csr([0, 1, 2], [1, 0]), dense(2), dense(2)],
    };
    const values = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(densify(values, [4, 4], sparsity, 't'))).toEqual([0, 0, 1, 2, 0, 0, 3, 4, 5, 6, 0, 0, 7, 8, 0, 0]);
  });

  it('expands a 1x4 block-sparse 4-D kernel with float16 storage unchanged', () => {
    // Shape [2,1,1,8]: row 0 keeps its second block of 4, row 1 its first.
    const sparsity: Sparsity = {
      traversalOrder: [0, 1, 2, 3, 4],
      blockMap: [3],
      dimMetadata: [dense(2), dense(1), dense(1), csr([0, 1, 2], [1, 0]), dense(4)],
    };
    const halves = Uint16Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = densify(halves, [2, 1, 1, 8], sparsity, 't');
    expect(out).toBeInstanceOf(Uint16Array);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
  });

  it('rejects index structures that point outside the tensor or the data', () => {
    const base = { traversalOrder: [0, 1], blockMap: [] };
    expect(() => densify(new Float32Array([1]), [2, 2], { ...base, dimMetadata: [dense(2), csr([0, 1, 1], [5])] }, 't')).toThrow(GraphError);
    expect(() => densify(new Float32Array([1]), [2, 2], { ...base, dimMetadata: [dense(2), csr([0, 3, 1], [0])] }, 't')).toThrow(GraphError);
    expect(() => densify(new Float32Array([1, 2]), [2, 2], { ...base, dimMetadata: [dense(2), csr([0, 1, 1], [0])] }, 't')).toThrow(/values/);
    expect(() => densify(new Float32Array([1]), [2, 2], { ...base, dimMetadata: [dense(3), csr([0, 1, 1], [0])] }, 't')).toThrow(/dense_size/);
    expect(() => densify(new Float32Array([1]), [2, 2], { traversalOrder: [0, 0], blockMap: [], dimMetadata: [dense(2), dense(2)] }, 't')).toThrow(
      /permutation/,
    );
  });
});
