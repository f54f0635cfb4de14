/**
 * convolveNchw (its WebAssembly kernels) against a direct sum per output in the documented order
 * (bias, then the in-range taps by input channel, kernel row, kernel column, in float64, rounded
 * once), bit for bit, on geometries that reach every path: the pointwise kernel with channel
 * and position tails and padded plane strides, blocks of twelve and of eight interior outputs
 * with the last block moved back, at unit stride, at other strides on rows split into phases
 * and on rows read value by value, border outputs one by one and four rows at a time (the last
 * group repeating its last row), rows too narrow for a block, windows wholly in the padding,
 * groups, dilation and batches.
 */
import { describe, expect, test } from 'vitest';
import { convolveNchw, type ConvGeometry } from '../../src/runtimes/conv-nchw.js';
import { seeded } from './reference/kernels/seeded.js';
import { bitDifferences } from '../support/bits.js';

type Sizes = Omit<ConvGeometry, 'oh' | 'ow'> & { readonly padBottom: number; readonly padRight: number };

function geometry(s: Sizes): ConvGeometry {
  const oh = Math.floor((s.h + s.padTop + s.padBottom - ((s.kh - 1) * s.dh + 1)) / s.sh) + 1;
  const ow = Math.floor((s.w + s.padLeft + s.padRight - ((s.kw - 1) * s.dw + 1)) / s.sw) + 1;
  return { ...s, oh, ow };
}

function direct(g: ConvGeometry, x: Float32Array, weights: Float32Array, bias: Float32Array): Float32Array {
  const kc = g.cIn / g.groups;
  const out = new Float32Array(g.batch * g.cOut * g.oh * g.ow);
  let i = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oc = 0; oc < g.cOut; oc++) {
      const group = Math.floor(oc / (g.cOut / g.groups));
      for (let oy = 0; oy < g.oh; oy++) {
        for (let ox = 0; ox < g.ow; ox++) {
          let s = bias[oc]!;
          for (let ic = 0; ic < kc; ic++) {
            for (let ky = 0; ky < g.kh; ky++) {
              for (let kx = 0; kx < g.kw; kx++) {
                const y = oy * g.sh - g.padTop + ky * g.dh;
                const xx = ox * g.sw - g.padLeft + kx * g.dw;
                if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) continue;
                s += weights[((oc * kc + ic) * g.kh + ky) * g.kw + kx]! * x[((b * g.cIn + group * kc + ic) * g.h + y) * g.w + xx]!;
              }
            }
          }
          out[i++] = s;
        }
      }
    }
  }
  return out;
}

function check(s: Sizes, seed: number, bias?: Float32Array): void {
  const g = geometry(s);
  const x = seeded(g.batch * g.cIn * g.h * g.w, seed);
  const weights = seeded(g.cOut * (g.cIn / g.groups) * g.kh * g.kw, seed + 1);
  const b = bias ?? seeded(g.cOut, seed + 2);
  const out = new Float32Array(g.batch * g.cOut * g.oh * g.ow).fill(Number.NaN);
  convolveNchw(x, weights, b, g, out);
  expect(bitDifferences(direct(g, x, weights, b), out), JSON.stringify(g)).toEqual([]);
}

const unit = { batch: 1, groups: 1, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 };

describe('convolveNchw against a direct sum per output', () => {
  test.each([
    ['five output channels over 42 positions: a channel tail and a block moved back', { ...unit, cIn: 13, h: 6, w: 7, cOut: 5 }],
    ['planes of 512 positions, laid out with slack between them', { ...unit, cIn: 9, h: 16, w: 32, cOut: 8 }],
    ['266 positions: a tile of 256 and a tile of 10', { ...unit, cIn: 5, h: 19, w: 14, cOut: 6 }],
    ['258 positions: a last tile of two, its block moved back into the tile before', { ...unit, cIn: 3, h: 2, w: 129, cOut: 5 }],
    ['exactly four positions', { ...unit, cIn: 3, h: 2, w: 2, cOut: 3 }],
    ['three positions, too few for the pointwise kernel', { ...unit, cIn: 5, h: 1, w: 3, cOut: 6 }],
    ['a batch of three', { ...unit, batch: 3, cIn: 4, h: 5, w: 5, cOut: 7 }],
    ['one group of a grouped 1x1', { ...unit, cIn: 6, h: 5, w: 9, cOut: 4, groups: 2 }],
  ])('1x1: %s', (_, sizes) => check(sizes, 11));

  test.each([
    [
      'depthwise 5x5, rows of 37: blocks of twelve, the last moved back',
      { ...unit, cIn: 3, h: 9, w: 37, cOut: 3, groups: 3, kh: 5, kw: 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2 },
    ],
    [
      'depthwise 3x3 at stride 1 dilated 2 across, rows of 13',
      { ...unit, cIn: 4, h: 7, w: 13, cOut: 4, groups: 4, kh: 3, kw: 3, dw: 2, padTop: 1, padLeft: 2, padBottom: 1, padRight: 2 },
    ],
    ['3x3 over four channels at stride 2', { ...unit, cIn: 4, h: 11, w: 41, cOut: 3, kh: 3, kw: 3, sh: 2, sw: 2, padBottom: 1, padRight: 1 }],
    [
      'depthwise 3x3, rows of 13: an interior of eleven, blocks of eight',
      { ...unit, cIn: 2, h: 5, w: 13, cOut: 2, groups: 2, kh: 3, kw: 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 },
    ],
    [
      'a first layer, 5x5 at stride 2 over rows split into phases',
      { ...unit, cIn: 3, h: 12, w: 61, cOut: 8, kh: 5, kw: 5, sh: 2, sw: 2, padTop: 1, padLeft: 1, padBottom: 2, padRight: 2 },
    ],
    [
      'depthwise 5x5 at stride 2, rows read value by value',
      { ...unit, cIn: 3, h: 9, w: 50, cOut: 3, groups: 3, kh: 5, kw: 5, sh: 2, sw: 2, padTop: 1, padLeft: 1, padBottom: 2, padRight: 2 },
    ],
    [
      '5x5 at stride 3 across, dilated 2 down',
      { ...unit, cIn: 2, h: 14, w: 60, cOut: 2, kh: 5, kw: 5, sw: 3, dh: 2, padTop: 1, padLeft: 4, padBottom: 3, padRight: 2 },
    ],
    ['dilated 3 across at stride 1, groups of two', { ...unit, cIn: 4, h: 6, w: 30, cOut: 6, groups: 2, kh: 2, kw: 3, dw: 3, padLeft: 3, padRight: 1 }],
    [
      'rows whose interior is narrower than eight: single outputs only',
      { ...unit, cIn: 3, h: 8, w: 9, cOut: 2, kh: 3, kw: 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 },
    ],
    [
      'a kernel wider than the input: border outputs only',
      { ...unit, cIn: 2, h: 3, w: 4, cOut: 2, kh: 5, kw: 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2 },
    ],
    ['a batch of two', { ...unit, batch: 2, cIn: 2, h: 7, w: 20, cOut: 3, kh: 3, kw: 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 }],
  ])('%s', (_, sizes) => check(sizes, 21));

  test('an output whose window lies wholly in the padding is its bias, even -0', () => {
    // Multiplying padded taps by zero would turn the -0 bias into +0.
    const sizes = { ...unit, cIn: 1, h: 4, w: 12, cOut: 2, kh: 3, kw: 3, padTop: 3, padLeft: 3, padBottom: 3, padRight: 3 };
    check(sizes, 31, Float32Array.of(-0, -0));
    check({ ...sizes, cIn: 2, groups: 2 }, 32, Float32Array.of(-0, -0));
    const out = new Float32Array(2 * geometry(sizes).oh * geometry(sizes).ow);
    convolveNchw(seeded(48, 1), seeded(18, 2), Float32Array.of(-0, -0), geometry(sizes), out);
    expect(Object.is(out[0], -0)).toBe(true);
  });

  test('300 random geometries, and the memory growing between them', () => {
    let state = 7;
    const pick = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    for (let n = 0; n < 300; n++) {
      const depthwise = pick(3) === 0;
      const groups = depthwise ? 1 + pick(5) : 1 + pick(3);
      const cIn = depthwise ? groups : groups * (1 + pick(4));
      const cOut = depthwise ? groups : groups * (1 + pick(6));
      const [kh, kw, sh, sw, dh, dw] = [1 + pick(5), 1 + pick(5), 1 + pick(3), 1 + pick(3), 1 + pick(2), 1 + pick(2)];
      const sizes = { batch: 1 + pick(2), cIn, h: 1 + pick(16), w: 1 + pick(48), cOut, groups, kh, kw, sh, sw, dh, dw };
      const pads = { padTop: pick(kh + 1), padLeft: pick(kw + 1), padBottom: pick(kh + 1), padRight: pick(kw + 1) };
      const g = geometry({ ...sizes, ...pads });
      if (g.oh >= 1 && g.ow >= 1) check({ ...sizes, ...pads }, 100 + n);
    }
    check({ ...unit, cIn: 64, h: 32, w: 32, cOut: 16 }, 41);
  });
});
