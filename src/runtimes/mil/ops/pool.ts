/**
 * max_pool over H and W (2-D only); padded cells never win, as if they held -infinity. Each
 * output is the Math.max of its window. The 2x2 windows at stride 2 of the networks'
 * downsampling blocks run in the shared WebAssembly kernel (src/runtimes/float32-ops.ts); any
 * NaN in its result sends the op to the loop here, which defines the bits a NaN comes out with.
 */
import { maxPool2x2Floats } from '../../float32-ops.js';
import { expectRank, opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { PAD_TYPES, pairParam, slidingWindows } from './window.js';

export const maxPool: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'kernel_sizes', 'strides', 'pad_type', 'pad', 'ceil_mode']);
  const x = p.float('x');
  expectRank(ctx, 'x', x, 4);
  const [kh, kw] = pairParam(ctx, p, 'kernel_sizes', [0, 0]);
  const [sh, sw] = pairParam(ctx, p, 'strides', [1, 1]);
  if (p.bool('ceil_mode', false)) throw opError(ctx, 'ceil_mode', 'true is not implemented');
  const padType = p.string('pad_type', PAD_TYPES);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [wy, wx] = slidingWindows(ctx, p, [h, w], [kh, kw], [sh, sw], padType);
  const out = p.output(x.dtype, [n, c, wy.out, wx.out]);
  const halving = kh === 2 && kw === 2 && sh === 2 && sw === 2 && wy.padBefore === 0 && wx.padBefore === 0;
  if (halving && wy.out === Math.floor(h / 2) && wx.out === Math.floor(w / 2) && wy.out > 0 && wx.out > 0) {
    maxPool2x2Floats(x.data, h, w, out.data);
    if (!holdsNaN(out.data)) return [out];
  }
  const rows = windowRanges(h, kh, sh, wy.padBefore, wy.out);
  const cols = windowRanges(w, kw, sw, wx.padBefore, wx.out);
  const data = x.data;
  const bits = new Int32Array(data.buffer, data.byteOffset, data.length);
  const outBits = new Int32Array(out.data.buffer, out.data.byteOffset, out.data.length);
  let at = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < wy.out; oy++) {
      const y0 = rows[2 * oy]!;
      const y1 = rows[2 * oy + 1]!;
      for (let ox = 0; ox < wx.out; ox++, at++) {
        const x0 = cols[2 * ox]!;
        const x1 = cols[2 * ox + 1]!;
        // The largest key wins; a window with a NaN is left to Math.max, which gives NaN.
        let best = MINUS_INFINITY_KEY;
        let nans = 0;
        for (let y = y0; y < y1; y++) {
          for (let i = base + y * w + x0, end = base + y * w + x1; i < end; i++) {
            const b = bits[i]!;
            nans |= 0x7f800000 - (b & 0x7fffffff);
            const k = b ^ ((b >> 31) & 0x7fffffff);
            best ^= (best ^ k) & -Number(k > best);
          }
        }
        if (nans < 0) {
          let max = -Infinity;
          for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) max = Math.max(max, data[base + y * w + xx]!);
          out.data[at] = max;
        } else outBits[at] = best ^ ((best >> 31) & 0x7fffffff);
      }
    }
  }
  return [out];
};

/**
 * Float32 bits as int32 keys that order as the floats do, -0 below +0 (so the larger of -0 and
 * +0 is +0, as Math.max has it); the map is its own inverse. The window's maximum is then an
 * integer maximum taken by masks: a comparison of floats branches, and mispredicts on about
 * half of a network's activations.
 */
const MINUS_INFINITY_KEY = 0xff800000 ^ 0x7fffffff;

function holdsNaN(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) return true;
  return false;
}

/** Per output cell along one axis, the input range [first, end) its window covers inside the input, as pairs. */
function windowRanges(size: number, kernel: number, stride: number, padBefore: number, count: number): Int32Array {
  const ranges = new Int32Array(2 * count);
  for (let o = 0; o < count; o++) {
    ranges[2 * o] = Math.max(0, o * stride - padBefore);
    ranges[2 * o + 1] = Math.min(size, o * stride - padBefore + kernel);
  }
  return ranges;
}
