import type { Params, OpContext } from './op-context.js';
import type { MilTensor } from './tensor.js';

/** Runs one operation on its bound parameters and returns its outputs, in order. */
export type MilOpExecutor = (ctx: OpContext, params: Params) => MilTensor[];
