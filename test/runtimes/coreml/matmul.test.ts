import { describe, expect, test } from 'vitest';
import { runY } from './one-layer.js';

// W = [[1, 2, 3], [4, 5, 6]] as [C_out = 2, C_in = 3]
const W = { floatValue: [1, 2, 3, 4, 5, 6] };

describe('innerProduct', () => {
  test('rank 1 and rank 4 inputs, with bias', () => {
    const layer = { innerProduct: { inputChannels: 3, outputChannels: 2, hasBias: true, weights: W, bias: { floatValue: [0.5, -0.5] } } };
    expect(runY(layer, { x: { shape: [3], data: [1, 0, -1] } })).toEqual({ shape: [2], data: [-1.5, -2.5] });
    expect(runY(layer, { x: { shape: [1, 3, 1, 1], data: [1, 1, 1] } })).toEqual({ shape: [1, 2, 1, 1], data: [6.5, 14.5] });
  });

  test('refuses input that does not hold C_in values per row', () => {
    expect(() => runY({ innerProduct: { inputChannels: 4, outputChannels: 2, weights: W } }, { x: { shape: [3], data: [1, 2, 3] } })).toThrow(
      /inputChannels: 4 does not fit/,
    );
  });
});

describe('batchedMatmul', () => {
  test('two inputs with broadcast batch axes', () => {
    // a [2, 1, 2] x b [2, 1]: each batch row times the column
    const y = runY({ batchedMatmul: {} }, { a: { shape: [2, 1, 2], data: [1, 2, 3, 4] }, b: { shape: [2, 1], data: [10, 1] } });
    expect(y).toEqual({ shape: [2, 1, 1], data: [12, 34] });
  });

  test('transposeA / transposeB', () => {
    const y = runY(
      { batchedMatmul: { transposeA: true, transposeB: true } },
      { a: { shape: [2, 1], data: [1, 2] }, b: { shape: [3, 2], data: [1, 0, 0, 1, 1, 1] } },
    );
    // a^T = [[1, 2]], b^T = [[1, 0, 1], [0, 1, 1]]
    expect(y).toEqual({ shape: [1, 3], data: [1, 2, 3] });
  });

  test('one input: weights [X1, X2] stored column-major, plus bias', () => {
    // W = [[1, 2, 3], [4, 5, 6]] (X1 = 2, X2 = 3) column-major: 1 4 2 5 3 6
    const y = runY(
      {
        batchedMatmul: {
          weightMatrixFirstDimension: 2,
          weightMatrixSecondDimension: 3,
          hasBias: true,
          weights: { floatValue: [1, 4, 2, 5, 3, 6] },
          bias: { floatValue: [0, 0, 1] },
        },
      },
      { x: { shape: [2, 2], data: [1, 1, 1, 0] } },
    );
    expect(y).toEqual({ shape: [2, 3], data: [5, 7, 10, 1, 2, 4] });
  });

  test('refuses parameters that do not apply to the number of inputs, and int8 quantisation', () => {
    expect(() => runY({ batchedMatmul: { hasBias: true } }, { a: { shape: [1, 1], data: [1] }, b: { shape: [1, 1], data: [1] } })).toThrow(/field hasBias/);
    expect(() =>
      runY(
        { batchedMatmul: { weightMatrixFirstDimension: 1, weightMatrixSecondDimension: 1, weights: { floatValue: [1] }, int8DynamicQuantize: true } },
        { x: { shape: [1], data: [1] } },
      ),
    ).toThrow(/int8DynamicQuantize/);
  });
});
