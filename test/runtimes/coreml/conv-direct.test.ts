/**
 * The convolution layer against a direct sum per output, through the executor: interior and
 * border outputs, tall and narrow inputs, 1x1 and larger kernels, groups, strides, dilation and
 * asymmetric padding. Both sum in float64 in the order the executor documents (bias, then input
 * channel, kernel row, kernel column), so they agree exactly. test/runtimes/conv-nchw.test.ts
 * reaches each path of the kernels themselves.
 */
import { describe, expect, test } from 'vitest';
import { seeded } from '../reference/kernels/seeded.js';
import { runY } from './one-layer.js';

interface Case {
  readonly name: string;
  readonly cIn: number;
  readonly h: number;
  readonly w: number;
  readonly cOut: number;
  readonly groups: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** [top, bottom, left, right] */
  readonly pads: readonly [number, number, number, number];
}

function direct(c: Case, x: Float32Array, weights: Float32Array, bias: Float32Array): { shape: number[]; data: number[] } {
  const [kh, kw] = c.kernel;
  const [sh, sw] = c.stride;
  const [dh, dw] = c.dilation;
  const [top, bottom, left, right] = c.pads;
  const oh = Math.floor((c.h + top + bottom - ((kh - 1) * dh + 1)) / sh) + 1;
  const ow = Math.floor((c.w + left + right - ((kw - 1) * dw + 1)) / sw) + 1;
  const kc = c.cIn / c.groups;
  const data: number[] = [];
  for (let oc = 0; oc < c.cOut; oc++) {
    const group = Math.floor(oc / (c.cOut / c.groups));
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let s = bias[oc]!;
        for (let ic = 0; ic < kc; ic++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const y = oy * sh - top + ky * dh;
              const xx = ox * sw - left + kx * dw;
              if (y < 0 || y >= c.h || xx < 0 || xx >= c.w) continue;
              s += weights[((oc * kc + ic) * kh + ky) * kw + kx]! * x[((group * kc + ic) * c.h + y) * c.w + xx]!;
            }
          }
        }
        data.push(Math.fround(s));
      }
    }
  }
  return { shape: [1, c.cOut, oh, ow], data };
}

const cases: Case[] = [
  {
    name: 'depthwise 3x3 stride 1, nine taps a pass',
    cIn: 3,
    h: 11,
    w: 9,
    cOut: 3,
    groups: 3,
    kernel: [3, 3],
    stride: [1, 1],
    dilation: [1, 1],
    pads: [1, 1, 1, 1],
  },
  {
    name: '3x3 over two channels, stride 2, padding after only',
    cIn: 2,
    h: 13,
    w: 10,
    cOut: 5,
    groups: 1,
    kernel: [3, 3],
    stride: [2, 2],
    dilation: [1, 1],
    pads: [0, 1, 0, 1],
  },
  {
    name: '1x1 over 13 channels: four and one tap a pass, four and one output channel',
    cIn: 13,
    h: 6,
    w: 7,
    cOut: 6,
    groups: 1,
    kernel: [1, 1],
    stride: [1, 1],
    dilation: [1, 1],
    pads: [0, 0, 0, 0],
  },
  {
    name: '5x3 over three channels, stride 2x1, uneven padding',
    cIn: 3,
    h: 12,
    w: 11,
    cOut: 4,
    groups: 1,
    kernel: [5, 3],
    stride: [2, 1],
    dilation: [1, 1],
    pads: [2, 1, 0, 2],
  },
  {
    name: 'grouped 2x2 dilated 2x3, five output channels a group',
    cIn: 4,
    h: 9,
    w: 12,
    cOut: 10,
    groups: 2,
    kernel: [2, 2],
    stride: [1, 1],
    dilation: [2, 3],
    pads: [1, 1, 2, 2],
  },
  {
    name: 'a kernel wider than the input: border outputs only',
    cIn: 2,
    h: 3,
    w: 4,
    cOut: 2,
    groups: 1,
    kernel: [5, 5],
    stride: [1, 1],
    dilation: [1, 1],
    pads: [2, 2, 2, 2],
  },
  {
    name: 'narrow and tall: several row bands',
    cIn: 2,
    h: 520,
    w: 4,
    cOut: 3,
    groups: 1,
    kernel: [3, 3],
    stride: [1, 1],
    dilation: [1, 1],
    pads: [1, 1, 1, 1],
  },
];

describe('convolution against a direct sum per output', () => {
  for (const c of cases) {
    test(c.name, () => {
      const [kh, kw] = c.kernel;
      const kc = c.cIn / c.groups;
      const x = seeded(c.cIn * c.h * c.w, 31);
      const weights = seeded(c.cOut * kc * kh * kw, 32);
      const bias = seeded(c.cOut, 33);
      const [top, bottom, left, right] = c.pads;
      const y = runY(
        {
          convolution: {
            outputChannels: c.cOut,
            kernelChannels: kc,
            nGroups: c.groups,
            kernelSize: [kh, kw],
            stride: [...c.stride],
            dilationFactor: [...c.dilation],
            valid: {
              paddingAmounts: {
                borderAmounts: [
                  { startEdgeSize: top, endEdgeSize: bottom },
                  { startEdgeSize: left, endEdgeSize: right },
                ],
              },
            },
            hasBias: true,
            weights: { floatValue: [...weights] },
            bias: { floatValue: [...bias] },
          },
        },
        { x: { shape: [1, c.cIn, c.h, c.w], data: [...x] } },
      );
      expect(y).toEqual(direct(c, x, weights, bias));
    });
  }
});
