import { describe, expect, it } from 'vitest';
import { conv2d, depthwiseConv2d } from '../../../../src/runtimes/reference/kernels/conv.js';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { relu, relu6 } from '../../../../src/runtimes/reference/kernels/activation.js';
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
 * The documented sum of one output, bit for bit: zero, then the taps in (kernel row, column,
 * input channel) order in float64 (a padded tap adds 0, which leaves a sum that started at +0
 * unchanged), then the bias, rounded to float32 once.
 */
function orderedConv(input: Tensor, kernel: Tensor, bias: Float32Array, g: Geometry, depthwise: boolean): Float32Array {
  const at = reader(input);
  const [n, , , inC] = input.shape as [number, number, number, number];
  const [, kh, kw] = kernel.shape as [number, number, number, number];
  const outC = depthwise ? inC : kernel.shape[0]!;
  const depth = depthwise ? 1 : inC;
  const result: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < g.out[0]; oy++)
      for (let ox = 0; ox < g.out[1]; ox++)
        for (let o = 0; o < outC; o++) {
          let s = 0;
          for (let fy = 0; fy < kh; fy++)
            for (let fx = 0; fx < kw; fx++)
              for (let c = 0; c < depth; c++) {
                const y = oy * g.stride[0] - g.origin[0] + fy * g.dilation[0];
                const x = ox * g.stride[1] - g.origin[1] + fx * g.dilation[1];
                const w = depthwise ? kernel.data[(fy * kw + fx) * outC + o]! : kernel.data[((o * kh + fy) * kw + fx) * inC + c]!;
                s += at(b, y, x, depthwise ? o : c) * w;
              }
          result.push(s + bias[o]!);
        }
  return Float32Array.from(result);
}

/** Weights +-1, 2 or 4: products of the large inputs stay powers of two that can cancel. */
function powersOfTwo(count: number, seed: number): Float32Array {
  return seeded(count, seed).map((v, i) => Math.sign(v) * 2 ** (i % 3));
}

function bits(data: Float32Array): number[] {
  return [...new Uint32Array(data.buffer, data.byteOffset, data.length)];
}

describe('the WebAssembly convolutions', () => {
  // Channel counts that are not multiples of the kernels' eight lanes. Two thirds of the inputs
  // are +-2^50..2^54 and the weights +-1, 2 or 4, so the large products of a sum often cancel
  // exactly and leave what the small ones kept: a sum taken in another order keeps other bits.
  const geometry: Geometry = { out: [4, 3], stride: [2, 2], dilation: [1, 2], origin: [1, 1] };
  const options = { strides: [2, 2], dilations: [1, 2], pads: [1, 1, 1, 2] } as const;
  const input = tensor(
    [2, 7, 5, 11],
    seeded(770, 20).map((v, i) => (i % 3 === 0 ? v : Math.sign(v) * 2 ** (50 + (i % 5)))),
  );

  it('sum CONV_2D outputs in the documented order, bit for bit', () => {
    const kernel = tensor([13, 3, 2, 11], powersOfTwo(858, 21));
    const bias = seeded(13, 22);
    const out = conv2d(input, kernel, tensor([13], bias), options);
    expect(out.shape).toEqual([2, 4, 3, 13]);
    expect(bits(out.data)).toEqual(bits(orderedConv(input, kernel, bias, geometry, false)));
  });

  it('sum DEPTHWISE_CONV_2D outputs in the documented order, bit for bit', () => {
    const kernel = tensor([1, 3, 2, 11], powersOfTwo(66, 23));
    const bias = seeded(11, 24);
    const out = depthwiseConv2d(input, kernel, tensor([11], bias), { ...options, depthMultiplier: 1 });
    expect(out.shape).toEqual([2, 4, 3, 11]);
    expect(bits(out.data)).toEqual(bits(orderedConv(input, kernel, bias, geometry, true)));
  });

  it('apply a fused RELU or RELU6 exactly as the activation kernels do', () => {
    const kernel = tensor(
      [13, 3, 2, 11],
      seeded(858, 25).map((v) => v / 100),
    );
    const depthwiseKernel = tensor(
      [1, 3, 2, 11],
      seeded(66, 26).map((v) => v / 100),
    );
    const dw = { ...options, depthMultiplier: 1 };
    for (const [activation, apply] of [
      ['RELU', relu],
      ['RELU6', relu6],
    ] as const) {
      expect(bits(conv2d(input, kernel, null, options, activation).data)).toEqual(bits(apply(conv2d(input, kernel, null, options)).data));
      expect(bits(depthwiseConv2d(input, depthwiseKernel, null, dw, activation).data)).toEqual(
        bits(apply(depthwiseConv2d(input, depthwiseKernel, null, dw)).data),
      );
    }
  });
});
