import type { AnyTypedArray } from './dtype.js';
import { elementCount, type Shape, type Sparsity } from './graph.js';
import { GraphError } from './errors.js';

/**
 * Expands TFLite's SparsityParameters into a dense row-major array.
 *
 * The stored values are visited in traversal order: `traversalOrder` lists the dense
 * dimensions (a permutation of 0..n-1) and then the k block dimensions (n..n+k-1), whose
 * `blockMap` entry names the dense dimension they subdivide. Each traversal level has a
 * DENSE size or a SPARSE_CSR pair: for CSR, the children of parent position p are the
 * entries segments[p]..segments[p+1] of `arrayIndices`, and a child's position is its index
 * in that array; for DENSE the child position is p * size + i. A blocked dense dimension's
 * coordinate is blockCoordinate * blockSize + inBlockCoordinate.
 */
export function densify<T extends AnyTypedArray>(values: T, shape: Shape, sparsity: Sparsity, where: string, file?: string): T {
  const rank = shape.length;
  const { traversalOrder, blockMap, dimMetadata } = sparsity;
  const levels = traversalOrder.length;
  const fail = (detail: string): never => {
    throw new GraphError(where, detail, file);
  };
  if (levels !== rank + blockMap.length) fail(`traversal_order has ${levels} entries, expected ${rank} + ${blockMap.length} block dimensions`);
  if (dimMetadata.length !== levels) fail(`dim_metadata has ${dimMetadata.length} entries, expected ${levels}`);
  if ([...traversalOrder.slice(0, rank)].sort((a, b) => a - b).some((d, i) => d !== i))
    fail(`traversal_order [${traversalOrder.join(',')}] does not start with a permutation of 0..${rank - 1}`);
  if (traversalOrder.slice(rank).some((d) => d < rank || d >= levels)) fail(`traversal_order [${traversalOrder.join(',')}] names an unknown block dimension`);

  const blockSize = new Array<number>(rank).fill(1);
  blockMap.forEach((dense, j) => {
    if (dense < 0 || dense >= rank) fail(`block_map[${j}] = ${dense} is not a dimension`);
    const level = traversalOrder.indexOf(rank + j);
    const meta = dimMetadata[level];
    if (meta?.format !== 'DENSE') return fail(`block dimension ${j} must be DENSE`);
    blockSize[dense] = meta.denseSize;
  });
  shape.forEach((d, i) => {
    if (d % (blockSize[i] as number) !== 0) fail(`dimension ${i} (${d}) is not a multiple of its block size ${blockSize[i]}`);
  });

  const out = new (values.constructor as new (n: number) => T)(elementCount(shape));
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  // What one step of a level's coordinate moves in the dense array, so each value's offset is summed on the way down.
  const step = traversalOrder.map((d) => (d < rank ? (blockSize[d] as number) * (strides[d] as number) : (strides[blockMap[d - rank] as number] as number)));
  let next = 0;

  const visit = (level: number, parent: number, offset: number): void => {
    if (level === levels) {
      if (next >= values.length) fail(`sparse data has ${values.length} values but the index structure addresses more`);
      (out as unknown as number[])[offset] = (values as unknown as number[])[next++] as number;
      return;
    }
    const meta = dimMetadata[level];
    const d = traversalOrder[level] as number;
    const extent = d < rank ? (shape[d] as number) / (blockSize[d] as number) : (blockSize[blockMap[d - rank] as number] as number);
    const stride = step[level] as number;
    if (!meta) return fail(`missing dim_metadata ${level}`);
    if (meta.format === 'DENSE') {
      if (meta.denseSize !== extent) fail(`level ${level} dense_size ${meta.denseSize} does not match extent ${extent}`);
      for (let i = 0; i < meta.denseSize; i++) visit(level + 1, parent * meta.denseSize + i, offset + i * stride);
      return;
    }
    const { arraySegments: segments, arrayIndices: indices } = meta;
    const start = segments[parent];
    const end = segments[parent + 1];
    if (start === undefined || end === undefined || start > end || end > indices.length) {
      fail(`level ${level} array_segments[${parent}..${parent + 1}] is not a valid range into ${indices.length} indices`);
    }
    for (let i = start as number; i < (end as number); i++) {
      const c = indices[i] as number;
      if (c >= extent) fail(`level ${level} index ${c} is outside extent ${extent}`);
      visit(level + 1, i, offset + c * stride);
    }
  };
  visit(0, 0, 0);
  if (next !== values.length) fail(`sparse data has ${values.length} values but the index structure addresses ${next}`);
  return out;
}
