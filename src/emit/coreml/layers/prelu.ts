import type { NoAttrs } from '../../../ir/attrs.js';
import type { Shape } from '../../../ir/graph.js';
import { EmitError } from '../../../ir/errors.js';
import type { CoremlLowering } from '../lowering.js';

/**
 * PRELU. Core ML's PReLU activation takes one alpha per channel (axis -3) or one for all, the
 * form of every MediaPipe model ([1,1,C] alpha on NHWC data, [1,C,1,1] after the layout pass).
 * Any other alpha is spelled out with broadcasting layers: relu(x) + alpha * (x - relu(x)).
 */
export const lowerPrelu: CoremlLowering<NoAttrs> = (node, ctx) => {
  const [input, alphaId] = node.inputs;
  if (input === undefined || alphaId === undefined) throw new EmitError('coreml', `PRELU node ${node.name} needs an input and alpha`);
  const x = ctx.value(input);
  const alpha = ctx.value(alphaId);
  if (alpha.data && isPerChannel(alpha.shape, x.shape)) {
    ctx.add({ activation: { PReLU: { alpha: ctx.weights(ctx.constant(alphaId, `${node.name} alpha`)) } } }, [input], node.outputs);
    return;
  }
  const positive = ctx.temp(`${node.name}_positive`);
  const negative = ctx.temp(`${node.name}_negative`);
  const scaled = ctx.temp(`${node.name}_scaled`);
  ctx.add({ activation: { ReLU: {} } }, [input], [positive]);
  ctx.add({ subtractBroadcastable: {} }, [input, positive], [negative]);
  ctx.add({ multiplyBroadcastable: {} }, [negative, alphaId], [scaled]);
  ctx.add({ add: {} }, [positive, scaled], node.outputs);
};

/** Alpha varies along the input's axis -3 at most (aligned on the right), and the input has one. */
function isPerChannel(alpha: Shape, x: Shape): boolean {
  if (x.length < 3 || alpha.length > x.length) return false;
  const channelAxis = x.length - 3;
  return alpha.every((d, i) => {
    const axis = i + x.length - alpha.length;
    return d === 1 || (axis === channelAxis && d === x[axis]);
  });
}
