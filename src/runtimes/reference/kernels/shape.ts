import { KernelError } from './kernel-error.js';
import { normalizeAxis, sizeOf, type Tensor } from './tensor.js';
import { transposeTensor } from '../../tensor.js';

/** TFLite RESHAPE: the same row-major data under a new shape; one dim may be -1 (inferred). */
export function reshape(input: Tensor, shape: readonly number[]): Tensor {
  const inferred = shape.indexOf(-1);
  if (inferred !== shape.lastIndexOf(-1)) {
    throw new KernelError('RESHAPE', `more than one -1 in [${shape.join(',')}]`);
  }
  const resolved = [...shape];
  if (inferred >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    resolved[inferred] = known === 0 ? 0 : input.data.length / known;
  }
  if (resolved.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(resolved) !== input.data.length) {
    throw new KernelError('RESHAPE', `cannot reshape [${input.shape.join(',')}] (${input.data.length} values) to [${shape.join(',')}]`);
  }
  // Kernels never write into their inputs, so the data can be shared rather than copied.
  return { shape: resolved, data: input.data };
}

/** TFLite CONCATENATION along `axis` (negative counts from the end); other dims must agree. */
export function concatenation(inputs: readonly Tensor[], axis: number): Tensor {
  const first = inputs[0];
  if (first === undefined) throw new KernelError('CONCATENATION', 'no inputs');
  const rank = first.shape.length;
  const a = normalizeAxis('CONCATENATION', axis, rank);
  for (const t of inputs) {
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new KernelError('CONCATENATION', `shape [${t.shape.join(',')}] does not fit [${first.shape.join(',')}] on axis ${axis}`);
    }
  }
  const shape = [...first.shape];
  shape[a] = inputs.reduce((n, t) => n + t.shape[a]!, 0);
  const outer = sizeOf(shape.slice(0, a));
  const slabs = inputs.map((t) => sizeOf(t.shape.slice(a)));
  const out = new Float32Array(sizeOf(shape));
  // Each outer index holds one contiguous slab per input, in input order.
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (let k = 0; k < inputs.length; k++) {
      const n = slabs[k]!;
      out.set(inputs[k]!.data.subarray(i * n, (i + 1) * n), o);
      o += n;
    }
  }
  return { shape, data: out };
}

/** TFLite TRANSPOSE: output axis i is input axis perm[i]. */
export function transpose(input: Tensor, perm: readonly number[]): Tensor {
  const rank = input.shape.length;
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new KernelError('TRANSPOSE', `perm [${perm.join(',')}] is not a permutation of ${rank} axes`);
  }
  return transposeTensor(input, perm);
}
