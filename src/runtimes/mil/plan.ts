/**
 * What running one operation needs from the program, read and checked on its first run and kept
 * with the loaded program (package.ts): a program run many times reads its operations' names,
 * arguments and declared types once, not on every run.
 */
import type { MilTensor } from './tensor.js';
import type { TensorSpec } from './values.js';

export interface OperationPlan {
  readonly type: string;
  readonly name: string;
  /** A const's value. */
  readonly constant?: MilTensor;
  /** Each parameter with its arguments: the name of an earlier value, or a value bound in place. */
  readonly params: readonly (readonly [string, readonly (string | MilTensor)[]])[];
  /** The declared outputs' names and types, once the operation has run. */
  outputs?: readonly { readonly name: string; readonly spec: TensorSpec }[];
}
