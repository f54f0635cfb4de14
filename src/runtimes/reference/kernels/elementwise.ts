import { KernelError } from './kernel-error.js';
import { broadcastBinary, broadcastShape as broadcastOf, type BinaryOp, type Tensor } from '../../tensor.js';

/** numpy broadcasting: align shapes on the right; each pair of dims must match or one be 1. */
export function broadcastShape(kernel: string, a: readonly number[], b: readonly number[]): number[] {
  const shape = broadcastOf(a, b);
  if (!shape) throw new KernelError(kernel, `shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
  return shape;
}

function binary(kernel: string, op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShape(kernel, a.shape, b.shape);
  return { shape, data: broadcastBinary(op, a, b, shape) };
}

export function add(a: Tensor, b: Tensor): Tensor {
  return binary('ADD', 'add', a, b);
}

export function sub(a: Tensor, b: Tensor): Tensor {
  return binary('SUB', 'sub', a, b);
}

export function mul(a: Tensor, b: Tensor): Tensor {
  return binary('MUL', 'mul', a, b);
}

/** TFLite MINIMUM: `a < b ? a : b`, so on a tie (or a NaN) the second operand. */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return binary('MINIMUM', 'min', a, b);
}

/** TFLite MAXIMUM: `a > b ? a : b`, so on a tie (or a NaN) the second operand. */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return binary('MAXIMUM', 'max', a, b);
}
