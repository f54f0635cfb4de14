import { EmitError } from '../../../ir/errors.js';
import type { MilLowering } from '../lowering.js';

/** Ops an ML Program never needs; each refuses with the reason, naming the node. */

/** `foldConstants` expands every sparse constant; a DENSIFY left over read something else. */
export const refuseDensify: MilLowering<unknown> = (node) => {
  throw new EmitError('mlprogram', `DENSIFY node ${node.name} was not folded into a dense constant`);
};

/** `foldConstants` widens float16 constants; float16 arithmetic is the program's precision, not an op. */
export const refuseDequantize: MilLowering<unknown> = (node) => {
  throw new EmitError('mlprogram', `DEQUANTIZE node ${node.name} reads an activation; only float16 constants (folded) are supported`);
};

/** The uint8 image head is ONNX's; an ML Program takes pixels through an image input and scales them in the program. */
export const refuseCast: MilLowering<unknown> = (node) => {
  throw new EmitError(
    'mlprogram',
    `CAST node ${node.name}: an ML Program takes pixels through an image input, not a cast (do not add the ONNX preprocess head)`,
  );
};
