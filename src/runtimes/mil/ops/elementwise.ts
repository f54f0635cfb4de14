/** Binary element-wise ops with NumPy broadcasting; x and y share one float type. */
import { broadcastBinary, broadcastShape, type BinaryOp } from '../../tensor.js';
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';

function binary(op: BinaryOp): MilOpExecutor {
  return (ctx, p) => {
    p.only(['x', 'y']);
    const x = p.float('x');
    const y = p.floatOf('y', x.dtype);
    const shape = broadcastShape(x.shape, y.shape);
    if (!shape) throw opError(ctx, 'y', `shape [${y.shape.join(', ')}] does not broadcast with x [${x.shape.join(', ')}]`);
    const out = p.output(x.dtype, shape);
    broadcastBinary(op, x, y, shape, out.data);
    return [out];
  };
}

export const add = binary('add');
export const sub = binary('sub');
export const mul = binary('mul');
export const realDiv = binary('div');
export const maximum = binary('max');
export const minimum = binary('min');
