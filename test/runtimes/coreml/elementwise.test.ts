import { describe, expect, test } from 'vitest';
import { runOneLayer, runY } from './one-layer.js';

describe('classic add and multiply', () => {
  test('add sums any number of inputs with broadcasting', () => {
    const y = runY({ add: {} }, { a: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, b: { shape: [3], data: [10, 20, 30] }, c: { shape: [1], data: [100] } });
    expect(y).toEqual({ shape: [2, 3], data: [111, 122, 133, 114, 125, 136] });
  });

  test('with one input, add and multiply use alpha', () => {
    expect(runY({ add: { alpha: 1.5 } }, { x: { shape: [2], data: [1, 2] } }).data).toEqual([2.5, 3.5]);
    expect(runY({ multiply: { alpha: 0.5 } }, { x: { shape: [2], data: [1, 2] } }).data).toEqual([0.5, 1]);
  });

  test('multiply broadcasts [2, 1] x [1, 3] to an outer product', () => {
    const y = runY({ multiply: {} }, { a: { shape: [2, 1], data: [1, 2] }, b: { shape: [1, 3], data: [3, 4, 5] } });
    expect(y).toEqual({ shape: [2, 3], data: [3, 4, 5, 6, 8, 10] });
  });

  test('refuses shapes that do not broadcast', () => {
    expect(() => runY({ add: {} }, { a: { shape: [2], data: [1, 2] }, b: { shape: [3], data: [1, 2, 3] } })).toThrow(/do not broadcast/);
  });
});

describe('broadcastable layers', () => {
  const ab = { a: { shape: [2, 2], data: [8, 6, 4, 2] }, b: { shape: [2], data: [2, 4] } };
  test('subtract, divide, add, multiply', () => {
    expect(runY({ subtractBroadcastable: {} }, ab).data).toEqual([6, 2, 2, -2]);
    expect(runY({ divideBroadcastable: {} }, ab).data).toEqual([4, 1.5, 2, 0.5]);
    expect(runY({ addBroadcastable: {} }, ab).data).toEqual([10, 10, 6, 6]);
    expect(runY({ multiplyBroadcastable: {} }, ab).data).toEqual([16, 24, 8, 8]);
  });

  test('need exactly two inputs', () => {
    expect(() => runOneLayer({ addBroadcastable: {} }, { a: ab.a })).toThrow(/takes 2 input/);
  });
});

describe('scale and bias', () => {
  // [C=2, H=1, W=2] = [[1, 2]], [[3, 4]]
  const x = { x: { shape: [2, 1, 2], data: [1, 2, 3, 4] } };

  test('scale per channel plus a scalar bias', () => {
    const y = runY({ scale: { shapeScale: [2], scale: { floatValue: [10, 100] }, hasBias: true, shapeBias: [1], bias: { floatValue: [1] } } }, x);
    expect(y.data).toEqual([11, 21, 301, 401]);
  });

  test('bias of shape [1, H, W]', () => {
    expect(runY({ bias: { shape: [1, 1, 2], bias: { floatValue: [0.5, -0.5] } } }, x).data).toEqual([1.5, 1.5, 3.5, 3.5]);
  });

  test('refuses a parameter shape outside [1], [C], [1, H, W], [C, H, W]', () => {
    expect(() => runY({ bias: { shape: [2, 1], bias: { floatValue: [1, 2] } } }, x)).toThrow(/field bias: shape \[2, 1\]/);
  });
});
