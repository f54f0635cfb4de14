import { describe, expect, test } from 'vitest';
import { CoremlError } from '../../../src/ir/errors.js';
import { halfBytes, iota, runY } from './one-layer.js';

const noPadding = { valid: {} };

describe('convolution', () => {
  test('2x2 kernel, valid, with bias: y = x[i][j] - x[i+1][j+1] + 0.5', () => {
    // x = [[0,1,2],[3,4,5],[6,7,8]]; x[i][j] - x[i+1][j+1] = -4 everywhere.
    const y = runY(
      {
        convolution: {
          outputChannels: 1,
          kernelChannels: 1,
          kernelSize: [2, 2],
          ...noPadding,
          hasBias: true,
          weights: { floatValue: [1, 0, 0, -1] },
          bias: { floatValue: [0.5] },
        },
      },
      { x: iota([1, 1, 3, 3]) },
    );
    expect(y).toEqual({ shape: [1, 1, 2, 2], data: [-3.5, -3.5, -3.5, -3.5] });
  });

  test('two input channels sum, two output channels, leading batch axes kept', () => {
    // channel 0 = [1,2], channel 1 = [10,20]; out0 = x0 + x1, out1 = 2*x0 - x1.
    const y = runY(
      { convolution: { outputChannels: 2, kernelChannels: 2, kernelSize: [1, 1], ...noPadding, weights: { floatValue: [1, 1, 2, -1] } } },
      { x: { shape: [1, 1, 2, 1, 2], data: [1, 2, 10, 20] } },
    );
    expect(y).toEqual({ shape: [1, 1, 2, 1, 2], data: [11, 22, -8, -16] });
  });

  test('same padding, stride 2, odd width: the extra pixel goes where asymmetryMode says', () => {
    // x = [1,2,3,4,5], kernel [1,10], out = ceil(5/2) = 3, total padding 1.
    const conv = (mode: 'BOTTOM_RIGHT_HEAVY' | 'TOP_LEFT_HEAVY') =>
      runY(
        {
          convolution: {
            outputChannels: 1,
            kernelChannels: 1,
            kernelSize: [1, 2],
            stride: [1, 2],
            same: { asymmetryMode: mode },
            weights: { floatValue: [1, 10] },
          },
        },
        { x: iota([1, 1, 1, 5], 1) },
      ).data;
    // windows [1,2] [3,4] [5,0] vs [0,1] [2,3] [4,5]
    expect(conv('BOTTOM_RIGHT_HEAVY')).toEqual([21, 43, 5]);
    expect(conv('TOP_LEFT_HEAVY')).toEqual([10, 32, 54]);
  });

  test('explicit asymmetric zero padding from ValidPadding amounts', () => {
    const y = runY(
      {
        convolution: {
          outputChannels: 1,
          kernelChannels: 1,
          kernelSize: [1, 1],
          valid: { paddingAmounts: { borderAmounts: [{ startEdgeSize: 1 }, { endEdgeSize: 2 }] } },
          weights: { floatValue: [1] },
        },
      },
      { x: { shape: [1, 1, 2, 2], data: [1, 2, 3, 4] } },
    );
    expect(y).toEqual({ shape: [1, 1, 3, 4], data: [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0] });
  });

  test('depthwise (nGroups = channels) and dilation', () => {
    // Per channel: y[j] = w0 * x[j] + w1 * x[j + 2] over width 5 -> width 3.
    const y = runY(
      {
        convolution: {
          outputChannels: 2,
          kernelChannels: 1,
          nGroups: 2,
          kernelSize: [1, 2],
          dilationFactor: [1, 2],
          ...noPadding,
          weights: { floatValue: [1, 1, 1, -1] },
        },
      },
      { x: { shape: [1, 2, 1, 5], data: [0, 1, 2, 3, 4, 10, 20, 30, 40, 50] } },
    );
    expect(y).toEqual({ shape: [1, 2, 1, 3], data: [2, 4, 6, -20, -20, -20] });
  });

  test('float16 weights decode exactly (1, -2, smallest subnormal, 1/3 rounded)', () => {
    const y = runY(
      {
        convolution: {
          outputChannels: 4,
          kernelChannels: 1,
          kernelSize: [1, 1],
          ...noPadding,
          weights: { float16Value: halfBytes([0x3c00, 0xc000, 0x0001, 0x3555]) },
        },
      },
      { x: { shape: [1, 1, 1, 1], data: [1] } },
    );
    expect(y.data).toEqual([1, -2, 2 ** -24, Math.fround(0.333251953125)]);
  });

  test('refuses what it does not implement, naming the layer and field', () => {
    const base = { outputChannels: 1, kernelChannels: 1, kernelSize: [1, 1], ...noPadding, weights: { floatValue: [1] } };
    const x = { x: iota([1, 1, 2, 2]) };
    expect(() => runY({ convolution: { ...base, isDeconvolution: true } }, x)).toThrow(/layer 0 'layer' \(convolution\) field isDeconvolution: is set/);
    expect(() => runY({ convolution: { ...base, weights: { floatValue: [1], quantization: { numberOfBits: 8 } } } }, x)).toThrow(/field weights\.quantization/);
    expect(() => runY({ convolution: { ...base, weights: { floatValue: [1, 2] } } }, x)).toThrow(/holds 2 values, the layer needs 1/);
    expect(() => runY({ convolution: { ...base, kernelChannels: 2 } }, x)).toThrow(CoremlError);
    expect(() => runY({ convolution: { ...base, bias: { floatValue: [1] } } }, x)).toThrow(/bias: is set while hasBias is false/);
    expect(() => runY({ convolution: { outputChannels: 1, kernelChannels: 1, kernelSize: [1, 1], weights: { floatValue: [1] } } }, x)).toThrow(
      /no padding type/,
    );
  });
});
