/**
 * cast between the float types (fp32 to fp16 rounds to nearest even when the result is
 * stored), and from int32 or bool to a float type. Casts to int32 or bool are refused: MIL
 * does not document how they round.
 */
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';

export const cast: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'dtype']);
  const x = p.tensor('x');
  const to = p.string('dtype', ['fp16', 'fp32', 'int32', 'bool'] as const);
  if (to !== 'fp16' && to !== 'fp32') throw opError(ctx, 'dtype', `a cast to ${to} is not implemented`);
  if (x.dtype === 'string') throw opError(ctx, 'x', 'a string tensor cannot be cast');
  const out = p.output(to, x.shape);
  out.data.set(x.data);
  return [out];
};
