/**
 * Output size and padding of a sliding window along H and W (conv, max_pool), from MIL's
 * pad_type: `valid` (none), `custom` (pad = [top, bottom, left, right]), `same` (TensorFlow's:
 * out = ceil(in / stride), the odd cell after) and `same_lower` (the odd cell before).
 */
import { paddedWindow, sameWindow, type AxisWindow } from '../../window.js';
import { opError, positivePair, type OpContext, type Params } from '../op-context.js';

export const PAD_TYPES = ['valid', 'custom', 'same', 'same_lower'] as const;

/** `kernel` is the effective (dilated) window size. */
export function slidingWindows(
  ctx: OpContext,
  p: Params,
  input: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padType: (typeof PAD_TYPES)[number],
): [AxisWindow, AxisWindow] {
  const pad = p.ints('pad', [0, 0, 0, 0], 4);
  if (pad.some((v) => !Number.isInteger(v) || v < 0)) throw opError(ctx, 'pad', `must be non-negative, got [${pad.join(', ')}]`);
  if (padType !== 'custom' && pad.some((v) => v !== 0)) throw opError(ctx, 'pad', `is [${pad.join(', ')}] but pad_type is ${padType}; only custom reads it`);
  return [0, 1].map((axis): AxisWindow => {
    const size = input[axis]!;
    const k = kernel[axis]!;
    const s = stride[axis]!;
    if (padType === 'same' || padType === 'same_lower') return sameWindow(size, k, s, padType === 'same' ? 'after' : 'before');
    const [before, after] = padType === 'custom' ? [pad[2 * axis]!, pad[2 * axis + 1]!] : [0, 0];
    const window = paddedWindow(size, k, s, before, after);
    if (!window) throw opError(ctx, 'pad', `window ${k} exceeds the padded input ${size + before + after}`);
    return window;
  }) as [AxisWindow, AxisWindow];
}

export function pairParam(ctx: OpContext, p: Params, name: string, fallback: readonly [number, number]): [number, number] {
  return positivePair(ctx, name, p.ints(name, fallback));
}
