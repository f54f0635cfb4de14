import { describe, expect, it } from 'vitest';
import { conv2d, depthwiseConv2d } from '../../../../src/runtimes/reference/kernels/conv.js';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { tensor, type Tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { expectClose, seeded } from './seeded.js';

/** NHWC reader that returns 0 outside the image, i.e. the input zero-padded without bounds. */
function reader(t: Tensor): (b: number, y: number, x: number, c: number) => number {
  const [, h, w, ch] = t.shape as [number, number, number, number];
  return (b, y, x, c) => (y < 0 || y >= h || x < 0 || x >= w ? 0 : t.data[((b * h + y) * w + x) * ch + c]!);
}

interface Geometry {
  out: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** Top and left padding: where output (0, 0)'s first tap lands. */
  origin: [number, number];
}

/** Direct sum over every tap, padded taps reading 0, for a (possibly grouped) OHWI kernel. */
function naiveConv(input: Tensor, kernel: Tensor, bias: Float32Array | null, g: Geometry): number[] {
  const at = reader(input);
  const [n, , , inC] = input.shape as [number, number, number, number];
  const [outC, kh, kw, kc] = kernel.shape as [number, number, number, number];
  const perGroup = outC / (inC / kc);
  const result: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < g.out[0]; oy++)
      for (let ox = 0; ox < g.out[1]; ox++)
        for (let o = 0; o < outC; o++) {
          let s = bias ? bias[o]! : 0;
          const group = Math.floor(o / perGroup);
          for (let fy = 0; fy < kh; fy++)
            for (let fx = 0; fx < kw; fx++)
              for (let c = 0; c < kc; c++) {
                const y = oy * g.stride[0] - g.origin[0] + fy * g.dilation[0];
                const x = ox * g.stride[1] - g.origin[1] + fx * g.dilation[1];
                s += at(b, y, x, group * kc + c) * kernel.data[((o * kh + fy) * kw + fx) * kc + c]!;
              }
          result.push(s);
        }
  return result;
}

describe('conv2d', () => {
  it('sums 3x3 neighbourhoods with SAME padding (by hand)', () => {
    const input = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ones = tensor([1, 3, 3, 1], new Array(9).fill(1));
    const out = conv2d(input, ones, tensor([1], [0.5]), { strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] });
    expect(out.shape).toEqual([1, 3, 3, 1]);
    expect([...out.data]).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28].map((v) => v + 0.5));
  });

  it('matches the direct sum for 1x5x7x3, kernel 4x2x3x3, stride 2 SAME', () => {
    // H: in 5, k 2, s 2 -> out 3, pads 0/1. W: in 7, k 3, s 2 -> out 4, pads 1/1.
    const input = tensor([1, 5, 7, 3], seeded(105, 1));
    const kernel = tensor([4, 2, 3, 3], seeded(72, 2));
    const bias = seeded(4, 3);
    const out = conv2d(input, kernel, tensor([4], bias), { strides: [2, 2], dilations: [1, 1], pads: [0, 1, 1, 1] });
    expect(out.shape).toEqual([1, 3, 4, 4]);
    expectClose(out.data, naiveConv(input, kernel, bias, { out: [3, 4], stride: [2, 2], dilation: [1, 1], origin: [0, 1] }));
  });

  it('matches the direct sum with dilation, two batches and no bias', () => {
    // Effective kernel 5x4; pads 2/2 rows, 1/2 cols keep 7x6.
    const input = tensor([2, 7, 6, 2], seeded(168, 4));
    const kernel = tensor([5, 3, 2, 2], seeded(60, 5));
    const out = conv2d(input, kernel, null, { strides: [1, 1], dilations: [2, 3], pads: [2, 1, 2, 2] });
    expect(out.shape).toEqual([2, 7, 6, 5]);
    expectClose(out.data, naiveConv(input, kernel, null, { out: [7, 6], stride: [1, 1], dilation: [2, 3], origin: [2, 1] }));
  });

  it('reads each group of input channels for a grouped kernel', () => {
    // 4 input channels, kernel depth 2 -> 2 groups of 3 output channels; VALID 5x3 -> 3x2.
    const input = tensor([1, 5, 3, 4], seeded(60, 6));
    const kernel = tensor([6, 3, 2, 2], seeded(72, 7));
    const out = conv2d(input, kernel, null, { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0] });
    expect(out.shape).toEqual([1, 3, 2, 6]);
    expectClose(out.data, naiveConv(input, kernel, null, { out: [3, 2], stride: [1, 1], dilation: [1, 1], origin: [0, 0] }));
  });

  it('rejects a kernel depth that does not divide the input depth', () => {
    const opts = { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0] } as const;
    expect(() => conv2d(tensor([1, 3, 3, 3]), tensor([2, 1, 1, 2]), null, opts)).toThrow(KernelError);
    expect(() => conv2d(tensor([1, 3, 3, 2]), tensor([2, 1, 1, 2]), tensor([3]), opts)).toThrow(/bias/);
    expect(() => conv2d(tensor([1, 2, 2, 2]), tensor([2, 3, 1, 2]), null, opts)).toThrow(/does not fit/);
  });
});

describe('depthwiseConv2d', () => {
  it('orders output channels as channel * multiplier + k (by hand)', () => {
    const input = tensor([1, 1, 2, 2], [3, 5, -1, 2]);
    const kernel = tensor([1, 1, 1, 4], [1, 2, 10, 100]);
    const out = depthwiseConv2d(input, kernel, tensor([4], [0, 0, 0, 1]), {
      strides: [1, 1],
      dilations: [1, 1],
      pads: [0, 0, 0, 0],
      depthMultiplier: 2,
    });
    expect(out.shape).toEqual([1, 1, 2, 4]);
    expect([...out.data]).toEqual([3, 6, 50, 501, -1, -2, 20, 201]);
  });

  it('matches the direct sum for 1x5x7x3, multiplier 2, 3x3 stride 2 SAME', () => {
    // H: in 5 -> out 3, pads 1/1. W: in 7 -> out 4, pads 1/1.
    const input = tensor([1, 5, 7, 3], seeded(105, 8));
    const kernel = tensor([1, 3, 3, 6], seeded(54, 9));
    const bias = seeded(6, 10);
    const out = depthwiseConv2d(input, kernel, tensor([6], bias), {
      strides: [2, 2],
      dilations: [1, 1],
      pads: [1, 1, 1, 1],
      depthMultiplier: 2,
    });
    expect(out.shape).toEqual([1, 3, 4, 6]);
    const at = reader(input);
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 4; ox++)
        for (let c = 0; c < 3; c++)
          for (let k = 0; k < 2; k++) {
            let s = bias[c * 2 + k]!;
            for (let fy = 0; fy < 3; fy++)
              for (let fx = 0; fx < 3; fx++) {
                s += at(0, oy * 2 - 1 + fy, ox * 2 - 1 + fx, c) * kernel.data[(fy * 3 + fx) * 6 + c * 2 + k]!;
              }
            expected.push(s);
          }
    expectClose(out.data, expected);
  });

  it('matches the direct sum with dilation (multiplier 1)', () => {
    const input = tensor([1, 6, 5, 3], seeded(90, 11));
    const kernel = tensor([1, 2, 3, 3], seeded(18, 12));
    // Effective 3x5 with dilation [2, 2], VALID: out 4x1.
    const out = depthwiseConv2d(input, kernel, null, {
      strides: [1, 1],
      dilations: [2, 2],
      pads: [0, 0, 0, 0],
      depthMultiplier: 1,
    });
    expect(out.shape).toEqual([1, 4, 1, 3]);
    const at = reader(input);
    const expected: number[] = [];
    for (let oy = 0; oy < 4; oy++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let fy = 0; fy < 2; fy++) for (let fx = 0; fx < 3; fx++) s += at(0, oy + 2 * fy, 2 * fx, c) * kernel.data[(fy * 3 + fx) * 3 + c]!;
        expected.push(s);
      }
    expectClose(out.data, expected);
  });

  it('rejects a kernel whose depth is not channels x multiplier', () => {
    const opts = { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], depthMultiplier: 2 } as const;
    expect(() => depthwiseConv2d(tensor([1, 2, 2, 3]), tensor([1, 1, 1, 3]), null, opts)).toThrow(KernelError);
  });
});

/**
 * The documented sum, output by output: from zero, the in-range taps in (kernel row, kernel
 * column, input channel) order in float64, then the bias, rounded to float32 once. `depthwise`
 * reads input channel o (multiplier 1) from a [1, kh, kw, C] kernel.
 */
function orderedSum(input: Tensor, kernel: Tensor, bias: Float32Array | null, g: Geometry, depthwise: boolean): Float32Array {
  const [n, h, w, inC] = input.shape as [number, number, number, number];
  const [, kh, kw] = kernel.shape as [number, number, number, number];
  const outC = depthwise ? inC : kernel.shape[0]!;
  const depth = depthwise ? 1 : inC;
  const out = new Float32Array(n * g.out[0] * g.out[1] * outC);
  let i = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < g.out[0]; oy++)
      for (let ox = 0; ox < g.out[1]; ox++)
        for (let o = 0; o < outC; o++) {
          let s = 0;
          for (let fy = 0; fy < kh; fy++)
            for (let fx = 0; fx < kw; fx++) {
              const y = oy * g.stride[0] - g.origin[0] + fy * g.dilation[0];
              const x = ox * g.stride[1] - g.origin[1] + fx * g.dilation[1];
              if (y < 0 || y >= h || x < 0 || x >= w) continue;
              for (let c = 0; c < depth; c++) {
                const channel = depthwise ? o : c;
                const weight = depthwise ? kernel.data[(fy * kw + fx) * inC + o]! : kernel.data[((o * kh + fy) * kw + fx) * inC + c]!;
                s += input.data[((b * h + y) * w + x) * inC + channel]! * weight;
              }
            }
          out[i++] = s + (bias ? bias[o]! : 0);
        }
  return out;
}

/** The index and both bit patterns of the first element where `a` and `b` differ, or undefined. */
function firstDifference(a: Float32Array, b: Float32Array): string | undefined {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return `lengths ${x.length} and ${y.length}`;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `at ${i}: ${x[i]!.toString(16)} vs ${y[i]!.toString(16)}`;
  return undefined;
}

describe('one-group conv2d and multiplier-1 depthwiseConv2d (the WebAssembly kernels)', () => {
  // Channel counts below, at and past the kernels' blocks of eight; padding, strides, dilation
  // and two batches, so cut windows, skipped rows and the last partial block are all reached.
  it.each([
    ['one channel in and out, 3x3 SAME', [1, 5, 6, 1], [3, 3], 1, [1, 1], [1, 1], [1, 1, 1, 1], [5, 6]],
    ['7 outputs of 5 inputs, 2x3 stride 2 with uneven padding', [1, 7, 9, 5], [2, 3], 7, [2, 2], [1, 1], [0, 1, 1, 1], [4, 5]],
    ['8 outputs, two batches, dilation 2x3', [2, 7, 8, 3], [3, 2], 8, [1, 1], [2, 3], [2, 1, 2, 2], [7, 8]],
    ['19 outputs of 13 inputs, 5x5 stride 1x2 SAME', [1, 6, 9, 13], [5, 5], 19, [1, 2], [1, 1], [2, 2, 2, 2], [6, 5]],
    ['1x1 with 24 outputs', [1, 4, 4, 10], [1, 1], 24, [1, 1], [1, 1], [0, 0, 0, 0], [4, 4]],
  ] as const)('sum in the documented order, bit for bit: %s', (_, inShape, [kh, kw], outC, stride, dilation, pads, outHw) => {
    const input = tensor(
      [...inShape],
      seeded(
        inShape.reduce((a: number, b: number) => a * b, 1),
        21,
      ),
    );
    const inC = inShape[3];
    const g: Geometry = { out: [outHw[0], outHw[1]], stride: [stride[0], stride[1]], dilation: [dilation[0], dilation[1]], origin: [pads[0], pads[1]] };
    const options = { strides: stride, dilations: dilation, pads } as const;
    const kernel = tensor([outC, kh, kw, inC], seeded(outC * kh * kw * inC, 22));
    const bias = seeded(outC, 23);
    const conv = conv2d(input, kernel, tensor([outC], bias), options);
    expect(conv.shape).toEqual([inShape[0], outHw[0], outHw[1], outC]);
    expect(firstDifference(conv.data, orderedSum(input, kernel, bias, g, false))).toBeUndefined();
    const unbiased = conv2d(input, kernel, null, options);
    expect(firstDifference(unbiased.data, orderedSum(input, kernel, null, g, false))).toBeUndefined();
    const dwKernel = tensor([1, kh, kw, inC], seeded(kh * kw * inC, 24));
    const dwBias = seeded(inC, 25);
    const dw = depthwiseConv2d(input, dwKernel, tensor([inC], dwBias), { ...options, depthMultiplier: 1 });
    expect(dw.shape).toEqual([inShape[0], outHw[0], outHw[1], inC]);
    expect(firstDifference(dw.data, orderedSum(input, dwKernel, dwBias, g, true))).toBeUndefined();
  });
});
