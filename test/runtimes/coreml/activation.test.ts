import { describe, expect, test } from 'vitest';
import { runY } from './one-layer.js';

const f = Math.fround;
const x = (...data: number[]) => ({ x: { shape: [data.length], data } });

describe('activation', () => {
  test('linear, ReLU, leaky ReLU, tanh, sigmoid', () => {
    expect(runY({ activation: { linear: { alpha: 2, beta: 1 } } }, x(-1, 0, 3)).data).toEqual([-1, 1, 7]);
    expect(runY({ activation: { ReLU: {} } }, x(-1, 0, 3)).data).toEqual([0, 0, 3]);
    expect(runY({ activation: { leakyReLU: { alpha: 0.5 } } }, x(-2, 3)).data).toEqual([-1, 3]);
    expect(runY({ activation: { tanh: {} } }, x(0.5)).data).toEqual([f(Math.tanh(0.5))]);
    expect(runY({ activation: { sigmoid: {} } }, x(0, 2)).data).toEqual([0.5, f(1 / (1 + Math.exp(-2)))]);
  });

  test('refuses an activation with no known nonlinearity', () => {
    expect(() => runY({ activation: {} }, x(1))).toThrow(/NonlinearityType: exactly one activation/);
  });
});

describe('clip', () => {
  test('clamps to [minVal, maxVal]', () => {
    expect(runY({ clip: { minVal: -1, maxVal: 2 } }, x(-3, 0.5, 5)).data).toEqual([-1, 0.5, 2]);
  });
});

describe('unary', () => {
  test('applies f(scale * x + shift)', () => {
    expect(runY({ unary: { type: 'POWER', alpha: 3, scale: 2, shift: 1 } }, x(1, -1)).data).toEqual([27, -1]);
    expect(runY({ unary: { type: 'THRESHOLD', alpha: 1 } }, x(0, 2)).data).toEqual([1, 2]);
    expect(runY({ unary: { type: 'ABS' } }, x(-2.5)).data).toEqual([2.5]);
    expect(runY({ unary: { type: 'SQRT' } }, x(9)).data).toEqual([3]);
    expect(runY({ unary: { type: 'EXP' } }, x(1)).data).toEqual([f(Math.E)]);
    expect(runY({ unary: { type: 'LOG' } }, x(1)).data).toEqual([0]);
  });

  test('epsilon defaults to 1e-6 when unset', () => {
    expect(runY({ unary: { type: 'INVERSE' } }, x(4)).data).toEqual([f(1 / (4 + 1e-6))]);
    expect(runY({ unary: { type: 'RSQRT', epsilon: 5 } }, x(4)).data).toEqual([f(1 / 3)]);
  });
});

describe('softmax', () => {
  test('classic softmax runs over axis -3', () => {
    // [C=2, H=1, W=2]: pairs (0, ln 3) and (ln 3, 0) across channels
    const y = runY({ softmax: {} }, { x: { shape: [2, 1, 2], data: [0, Math.log(3), Math.log(3), 0] } });
    expect(y.data.map((v) => +v.toFixed(6))).toEqual([0.25, 0.75, 0.75, 0.25]);
  });

  test('softmaxND runs over the given axis', () => {
    const y = runY({ softmaxND: { axis: -1 } }, { x: { shape: [2, 2], data: [0, Math.log(3), Math.log(3), 0] } });
    expect(y.data.map((v) => +v.toFixed(6))).toEqual([0.25, 0.75, 0.75, 0.25]);
  });
});
