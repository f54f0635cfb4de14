import type { FusedActivationAttrs, NoAttrs } from '../../../ir/attrs.js';
import { at } from '../../../ir/shape-util.js';
import { requireNoActivation } from '../../lowering-checks.js';
import { EmitError } from '../../../ir/errors.js';
import { FLOAT32_MAX, type CoremlLayer, type CoremlLowering, type CoremlLoweringContext } from '../lowering.js';
import type { LoweredNode } from '../../../ir/graph.js';

/**
 * Element-wise math. Core ML has two families: the classic add / multiply (equal shapes, or one
 * input and a scalar `alpha`), which every Core ML version fuses and runs on every compute
 * unit, and the rank-N *Broadcastable layers (NumPy broadcasting). Each node takes the classic
 * form where it fits, as coremltools does for the seed model, and the broadcastable one
 * otherwise; a non-scalar constant operand becomes a loadConstantND blob.
 */
export function lowerArithmetic(kind: 'add' | 'sub' | 'mul'): CoremlLowering<FusedActivationAttrs> {
  return (node, ctx) => {
    requireNoActivation('coreml', node.name, node.attrs.activation);
    const [a, b] = operands(node);
    const scalar = scalarOperand(ctx, a, b, kind !== 'sub');
    if (scalar) {
      const layer: CoremlLayer = kind === 'mul' ? { multiply: { alpha: scalar.value } } : { add: { alpha: kind === 'sub' ? -scalar.value : scalar.value } };
      ctx.add(layer, [scalar.other], node.outputs);
      return;
    }
    const sameShape = ctx.value(a).shape.join() === ctx.value(b).shape.join();
    const layer: CoremlLayer =
      kind === 'sub'
        ? { subtractBroadcastable: {} }
        : kind === 'add'
          ? sameShape
            ? { add: {} }
            : { addBroadcastable: {} }
          : sameShape
            ? { multiply: {} }
            : { multiplyBroadcastable: {} };
    ctx.add(layer, [a, b], node.outputs);
  };
}

/**
 * MAXIMUM / MINIMUM against a scalar constant are one-sided clips (the decoder's logit clamp).
 * Our Core ML subset has no min/max layer for two tensors, so other forms are refused.
 */
export function lowerExtremum(kind: 'max' | 'min'): CoremlLowering<NoAttrs> {
  return (node, ctx) => {
    const [a, b] = operands(node);
    const scalar = scalarOperand(ctx, a, b, true);
    if (!scalar) throw new EmitError('coreml', `node ${node.name}: ${kind === 'max' ? 'MAXIMUM' : 'MINIMUM'} is only supported against a scalar constant`);
    const bounds = kind === 'max' ? { minVal: scalar.value, maxVal: FLOAT32_MAX } : { minVal: -FLOAT32_MAX, maxVal: scalar.value };
    ctx.add({ clip: bounds }, [scalar.other], node.outputs);
  };
}

export const lowerRelu: CoremlLowering<NoAttrs> = (node, ctx) => ctx.add({ activation: { ReLU: {} } }, [at(node.inputs, 0, 'RELU input')], node.outputs);

export const lowerRelu6: CoremlLowering<NoAttrs> = (node, ctx) =>
  ctx.add({ clip: { minVal: 0, maxVal: 6 } }, [at(node.inputs, 0, 'RELU6 input')], node.outputs);

export const lowerLogistic: CoremlLowering<NoAttrs> = (node, ctx) =>
  ctx.add({ activation: { sigmoid: {} } }, [at(node.inputs, 0, 'LOGISTIC input')], node.outputs);

function operands(node: LoweredNode<unknown>): [string, string] {
  const [a, b] = node.inputs;
  if (a === undefined || b === undefined || node.inputs.length !== 2) throw new EmitError('coreml', `node ${node.name} needs two inputs`);
  return [a, b];
}

/** The operand that is a one-element constant (the second, or with `commutes` either), and the other. */
function scalarOperand(ctx: CoremlLoweringContext, a: string, b: string, commutes: boolean): { value: number; other: string } | undefined {
  const scalar = (id: string): number | undefined => {
    const data = ctx.value(id).data;
    return data?.length === 1 ? ctx.constant(id, 'scalar operand')[0] : undefined;
  };
  const second = scalar(b);
  if (second !== undefined) return { value: second, other: a };
  const first = commutes ? scalar(a) : undefined;
  return first === undefined ? undefined : { value: first, other: b };
}
