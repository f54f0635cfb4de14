import { BlazefaceError } from '../../../ir/errors.js';

/** A reference kernel was called with tensors or options that its TFLite op would reject. */
export class KernelError extends BlazefaceError {
  constructor(
    readonly kernel: string,
    detail: string,
  ) {
    super(`${kernel}: ${detail}`);
  }
}
