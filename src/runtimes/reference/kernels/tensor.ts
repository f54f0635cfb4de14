import { KernelError } from './kernel-error.js';
import { sizeOf, type Tensor } from '../../tensor.js';

export { type Tensor, sizeOf, strides } from '../../tensor.js';

/** Builds a tensor, zero-filled when no data is given; the data length must match the shape. */
export function tensor(shape: readonly number[], data?: Float32Array | readonly number[]): Tensor {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new KernelError('tensor', `bad shape [${shape.join(',')}]`);
    }
  }
  const size = sizeOf(shape);
  const values = data === undefined ? new Float32Array(size) : Float32Array.from(data);
  if (values.length !== size) {
    throw new KernelError('tensor', `shape [${shape.join(',')}] needs ${size} values, got ${values.length}`);
  }
  return { shape: [...shape], data: values };
}

/** The four dimensions of an NHWC tensor, or a KernelError naming the kernel. */
export function nhwc(kernel: string, t: Tensor): [n: number, h: number, w: number, c: number] {
  if (t.shape.length !== 4) {
    throw new KernelError(kernel, `expected a rank-4 NHWC tensor, got shape [${t.shape.join(',')}]`);
  }
  return [t.shape[0]!, t.shape[1]!, t.shape[2]!, t.shape[3]!];
}

/** Resolves a possibly negative axis against a rank. */
export function normalizeAxis(kernel: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new KernelError(kernel, `axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}
