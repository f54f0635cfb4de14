import { EmitError } from '../../../ir/errors.js';
import type { CoremlLowering } from '../lowering.js';

/**
 * Ops a Core ML model never needs as layers. Each lowering refuses with the reason, so a graph
 * that still holds one fails at conversion, naming the node.
 */

/** `foldConstants` expands every sparse constant; a DENSIFY left over read something else. */
export const refuseDensify: CoremlLowering<unknown> = (node) => {
  throw new EmitError('coreml', `DENSIFY node ${node.name} was not folded into a dense constant`);
};

/** `foldConstants` widens float16 constants; Core ML activations are never float16 in a spec-4 model. */
export const refuseDequantize: CoremlLowering<unknown> = (node) => {
  throw new EmitError('coreml', `DEQUANTIZE node ${node.name} reads an activation; only float16 constants (folded) are supported`);
};

/** The uint8 image head (`--preprocess`) is ONNX's; a Core ML image input is scaled by its preprocessing instead. */
export const refuseCast: CoremlLowering<unknown> = (node) => {
  throw new EmitError(
    'coreml',
    `CAST node ${node.name}: Core ML takes pixels through an image input with a scaler, not a cast (do not add the ONNX preprocess head)`,
  );
};
