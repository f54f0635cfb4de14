/** Binary element-wise ops with NumPy broadcasting; x and y share one float type. */
import { broadcastIndex, broadcastShape } from '../../strided.js';
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { floatTensor, sizeOf } from '../tensor.js';

function binary(f: (a: number, b: number) => number): MilOpExecutor {
  return (ctx, p) => {
    p.only(['x', 'y']);
    const x = p.float('x');
    const y = p.floatOf('y', x.dtype);
    const shape = broadcastShape([x.shape, y.shape]);
    if (!shape) throw opError(ctx, 'y', `shape [${y.shape.join(', ')}] does not broadcast with x [${x.shape.join(', ')}]`);
    const out = floatTensor(x.dtype, shape);
    const total = sizeOf(shape);
    const xi = x.data.length === total ? undefined : broadcastIndex(x.shape, shape);
    const yi = y.data.length === total ? undefined : broadcastIndex(y.shape, shape);
    for (let i = 0; i < total; i++) out.data[i] = f(x.data[xi ? xi[i]! : i]!, y.data[yi ? yi[i]! : i]!);
    return [out];
  };
}

export const add = binary((a, b) => a + b);
export const sub = binary((a, b) => a - b);
export const mul = binary((a, b) => a * b);
export const realDiv = binary((a, b) => a / b);
export const maximum = binary((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)));
export const minimum = binary((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)));
