import { describe, expect, test } from 'vitest';
import { op, run, single, value } from './program.js';

/** x [1,1,3,4] = 1..12, row by row. */
const X12 = Array.from({ length: 12 }, (_, i) => i + 1);

describe('MIL conv', () => {
  test('2x2 kernel, bias, valid: each output is x[i,j] + 2x[i,j+1] + 3x[i+1,j] + 4x[i+1,j+1] + 0.5', () => {
    const p = single(
      'conv',
      [1, 1, 3, 4],
      { weight: value.fp32([1, 1, 2, 2], [1, 2, 3, 4]), bias: value.fp32([1], [0.5]), pad_type: value.string('valid') },
      [1, 1, 2, 3],
    );
    expect(run(p, { x: X12 }).y).toEqual([44.5, 54.5, 64.5, 84.5, 94.5, 104.5]);
  });

  test('custom asymmetric padding [top 1, bottom 0, left 0, right 1], strides 2, dilation 2 across', () => {
    // Output rows read input rows -1 (padding) and 1; columns c and c + 2 for c = 0, 2.
    const p = single(
      'conv',
      [1, 1, 3, 4],
      {
        weight: value.fp32([1, 1, 1, 2], [1, 10]),
        strides: value.ints([2, 2]),
        pad_type: value.string('custom'),
        pad: value.ints([1, 0, 0, 1]),
        dilations: value.ints([1, 2]),
        groups: value.int(1),
      },
      [1, 1, 2, 2],
    );
    expect(run(p, { x: X12 }).y).toEqual([0, 0, 5 + 70, 7 + 0]);
  });

  test('groups = input channels with two filters per channel (depthwise, multiplier 2)', () => {
    const p = single(
      'conv',
      [1, 2, 2, 2],
      { weight: value.fp32([4, 1, 1, 1], [1, 2, 3, -1]), bias: value.fp32([4], [0, 0, 0, 1]), groups: value.int(2) },
      [1, 4, 2, 2],
    );
    expect(run(p, { x: [1, 2, 3, 4, 10, 20, 30, 40] }).y).toEqual([1, 2, 3, 4, 2, 4, 6, 8, 30, 60, 90, 120, -9, -19, -29, -39]);
  });

  test('three input channels in two groups is refused (channels must divide)', () => {
    const p = single('conv', [1, 3, 1, 1], { weight: value.fp32([2, 1, 1, 1], [1, 1]), groups: value.int(2) }, [1, 2, 1, 1]);
    expect(() => run(p, { x: [1, 2, 3] })).toThrow(/input groups: 2 must divide the input channels 3/);
  });

  test.each([
    ['same', [1, 2, 3, 4], [1 + 2 + 3, 3 + 4]],
    ['same_lower', [1, 2, 3, 4], [1 + 2, 2 + 3 + 4]],
    ['same', [1, 2, 3, 4, 5], [1 + 2, 2 + 3 + 4, 4 + 5]],
  ])('pad_type %s, stride 2, kernel 3 over %j', (padType, x, expected) => {
    const p = single(
      'conv',
      [1, 1, 1, x.length],
      { weight: value.fp32([1, 1, 1, 3], [1, 1, 1]), strides: value.ints([1, 2]), pad_type: value.string(padType) },
      [1, 1, 1, expected.length],
    );
    expect(run(p, { x }).y).toEqual(expected);
  });

  test('pad is only read with pad_type custom', () => {
    const p = single(
      'conv',
      [1, 1, 1, 3],
      { weight: value.fp32([1, 1, 1, 1], [1]), pad_type: value.string('valid'), pad: value.ints([0, 0, 1, 0]) },
      [1, 1, 1, 3],
    );
    expect(() => run(p, { x: [1, 2, 3] })).toThrow(/input pad: is \[0, 0, 1, 0\] but pad_type is valid/);
  });

  test('in float16 the sum is rounded once: 1 + 2048 gives 2048 (ties to even)', () => {
    const p = {
      inputs: [{ name: 'x', shape: [1, 1, 1, 2] }],
      operations: [
        op('cast', { x: 'x', dtype: value.string('fp16') }, [{ name: 'x16', type: 'fp16', shape: [1, 1, 1, 2] }]),
        op('conv', { x: 'x16', weight: value.fp16([1, 1, 1, 2], [0x3c00, 0x3c00]) }, [{ name: 'y16', type: 'fp16', shape: [1, 1, 1, 1] }]),
        op('cast', { x: 'y16', dtype: value.string('fp32') }, [{ name: 'y', type: 'fp32', shape: [1, 1, 1, 1] }]),
      ],
      outputs: [{ name: 'y', type: 'fp32', shape: [1, 1, 1, 1] }],
    } as const;
    expect(run(p, { x: [1, 2048] }).y).toEqual([2048]);
  });

  test('a weight of another type than x is refused', () => {
    const p = {
      inputs: [{ name: 'x', shape: [1, 1, 1, 1] }],
      operations: [op('conv', { x: 'x', weight: value.fp16([1, 1, 1, 1], [0x3c00]) }, [{ name: 'y', type: 'fp32', shape: [1, 1, 1, 1] }])],
      outputs: [{ name: 'y', type: 'fp32', shape: [1, 1, 1, 1] }],
    } as const;
    expect(() => run(p, { x: [1] })).toThrow(/operation 0 'y' \(conv\) input weight: must be fp32 like the op's input, got fp16/);
  });
});
