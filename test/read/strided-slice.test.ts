import { describe, expect, it } from 'vitest';
import { resolveStridedSlice, type StridedSliceMasks } from '../../src/read/strided-slice.js';
import { readTflite } from '../../src/read/read-tflite.js';
import { buildGraph } from '../../src/read/build-graph.js';
import { UnsupportedOpError } from '../../src/ir/errors.js';
import { TfliteModelBuilder } from '../support/one-op-model.js';

const NONE: StridedSliceMasks = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };

describe('resolveStridedSlice', () => {
  it('resolves negative indices, clamps, and walks backwards through index 0', () => {
    expect(resolveStridedSlice([7, 5], [-1, 9], [-99, -99], [-2, -1], NONE)).toEqual({ begin: [6, 4], end: [-1, -1], strides: [-2, -1], shape: [4, 5] });
  });

  it('expands an ellipsis in the middle and adds a new axis after it', () => {
    const masks = { ...NONE, ellipsisMask: 2, newAxisMask: 4 };
    expect(resolveStridedSlice([2, 3, 4, 5], [1, 0, 0, 1], [2, 0, 0, 3], [1, 1, 1, 1], masks)).toEqual({
      begin: [1, 0, 0, 1],
      end: [2, 3, 4, 3],
      strides: [1, 1, 1, 1],
      shape: [1, 3, 4, 1, 2],
    });
  });

  it('drops shrunk axes and refuses what TFLite refuses', () => {
    expect(resolveStridedSlice([4, 6], [2, 0], [0, 0], [1, 1], { ...NONE, shrinkAxisMask: 1, endMask: 2 })).toMatchObject({ shape: [6] });
    expect(resolveStridedSlice([4], [0], [4], [0], NONE)).toBe('a stride is 0');
    expect(resolveStridedSlice([4, 4], [0, 0], [1, 1], [1, 1], { ...NONE, ellipsisMask: 3 })).toBe('more than one ellipsis bit');
    expect(resolveStridedSlice([4], [9], [10], [1], { ...NONE, shrinkAxisMask: 1 })).toBe('a shrunk axis begins outside the input');
  });
});

describe('reading STRIDED_SLICE', () => {
  function model(offset: boolean, begin: readonly number[]): Uint8Array {
    const m = new TfliteModelBuilder();
    const x = m.input('input', [1, 5, 3]);
    const list = (n: string, values: readonly number[]): number => m.constant(n, [values.length], { dtype: 'int32', data: values });
    const value = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset };
    const shape = [1, Math.max(5 - (begin[1] ?? 0), 0), 3];
    m.output(
      m.op(
        'STRIDED_SLICE',
        [x, list('begin', begin), list('end', [1, 5, 3]), list('strides', [1, 1, 1])],
        { name: 'out', shape },
        { type: 'StridedSliceOptions', value },
      ),
    );
    return m.finish();
  }

  it('refuses offset (the reference runtime predates it) and an empty slice, naming the operator', () => {
    expect(() => buildGraph(readTflite(model(true, [0, 0, 0]), 'offset.tflite'))).toThrow(
      /operator 0 \(STRIDED_SLICE\): StridedSliceOptions\.offset = true is not supported/,
    );
    expect(() => buildGraph(readTflite(model(false, [0, 5, 0]), 'empty.tflite'))).toThrow(UnsupportedOpError);
    expect(buildGraph(readTflite(model(false, [0, 2, 0]), 'ok.tflite')).nodes[0]?.attrs).toEqual({
      begin: [0, 2, 0],
      end: [1, 5, 3],
      strides: [1, 1, 1],
      shape: [1, 3, 3],
    });
  });
});
