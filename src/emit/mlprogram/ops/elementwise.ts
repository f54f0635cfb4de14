import type { FusedActivationAttrs, NoAttrs } from '../../../ir/attrs.js';
import { EmitError } from '../../../ir/errors.js';
import type { LoweredNode } from '../../../ir/graph.js';
import { at } from '../../../ir/shape-util.js';
import { requireNoActivation } from '../../lowering-checks.js';
import type { MilLowering } from '../lowering.js';

/**
 * Element-wise math. MIL's binary ops broadcast like NumPy and take any operand, constant or
 * not, so each TFLite op is one MIL op; RELU6 is a clip to [0, 6].
 */

export function lowerArithmetic(milOp: 'add' | 'sub' | 'mul'): MilLowering<FusedActivationAttrs> {
  return (node, ctx) => {
    requireNoActivation('mlprogram', node.name, node.attrs.activation);
    const [x, y] = operands(node);
    ctx.op(milOp, { x: ctx.ref(x), y: ctx.ref(y) }, node.outputs);
  };
}

export function lowerExtremum(milOp: 'maximum' | 'minimum'): MilLowering<NoAttrs> {
  return (node, ctx) => {
    const [x, y] = operands(node);
    ctx.op(milOp, { x: ctx.ref(x), y: ctx.ref(y) }, node.outputs);
  };
}

/** One MIL op of one input: relu, sigmoid, tanh, abs. */
export function lowerUnary(milOp: 'relu' | 'sigmoid' | 'tanh' | 'abs'): MilLowering<NoAttrs> {
  return (node, ctx) => ctx.op(milOp, { x: ctx.ref(at(node.inputs, 0, `${node.name} input`)) }, node.outputs);
}

export const lowerRelu6: MilLowering<NoAttrs> = (node, ctx) =>
  ctx.op(
    'clip',
    { x: ctx.ref(at(node.inputs, 0, 'RELU6 input')), alpha: ctx.float(`${node.name}_alpha`, 0), beta: ctx.float(`${node.name}_beta`, 6) },
    node.outputs,
  );

function operands(node: LoweredNode<unknown>): [string, string] {
  const [x, y] = node.inputs;
  if (x === undefined || y === undefined || node.inputs.length !== 2) throw new EmitError('mlprogram', `node ${node.name} needs two inputs`);
  return [x, y];
}
