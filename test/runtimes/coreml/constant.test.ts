import { describe, expect, test } from 'vitest';
import { executeMlmodel } from '../../../src/runtimes/coreml/execute.js';
import type { Model } from '../../../src/coreml/types.js';

function constantModel(layer: Model['neuralNetwork']): Model {
  return { description: { output: [{ name: 'y', type: { multiArrayType: { dataType: 'FLOAT32' } } }] }, neuralNetwork: layer };
}

describe('loadConstant / loadConstantND', () => {
  test('loadConstantND outputs its data in its shape', () => {
    const out = executeMlmodel(
      constantModel({ layers: [{ name: 'c', output: ['y'], loadConstantND: { shape: [2, 2], data: { floatValue: [1, 2, 3, 4] } } }] }),
      {},
    );
    expect(out.y!.shape).toEqual([2, 2]);
    expect(Array.from(out.y!.data)).toEqual([1, 2, 3, 4]);
  });

  test('loadConstant outputs rank 5 [1, 1, C, H, W]', () => {
    const out = executeMlmodel(constantModel({ layers: [{ name: 'c', output: ['y'], loadConstant: { shape: [1, 1, 2], data: { floatValue: [5, 6] } } }] }), {});
    expect(out.y!.shape).toEqual([1, 1, 1, 1, 2]);
  });

  test('refuses data of the wrong size', () => {
    expect(() =>
      executeMlmodel(constantModel({ layers: [{ name: 'c', output: ['y'], loadConstantND: { shape: [3], data: { floatValue: [1] } } }] }), {}),
    ).toThrow(/layer 0 'c' \(loadConstantND\) field data: holds 1 values, the layer needs 3/);
  });
});
