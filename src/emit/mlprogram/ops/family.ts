import type { FullyConnectedAttrs, MeanAttrs, NoAttrs, StridedSliceAttrs } from '../../../ir/attrs.js';
import { EmitError } from '../../../ir/errors.js';
import { at, dim, sliceCounts } from '../../../ir/shape-util.js';
import { requireNoActivation } from '../../lowering-checks.js';
import type { MilLowering } from '../lowering.js';

/**
 * The ops the MediaPipe models beside BlazeFace add (palm detection, hand and face landmarks).
 * Each is MIL ops every iOS 15 runtime has; PRELU is spelled out so that any alpha shape
 * works, not only MIL prelu's one value per channel.
 */

/** x >= 0 ? x : alpha * x as maximum(x, 0) + alpha * minimum(x, 0), exactly. */
export const lowerPrelu: MilLowering<NoAttrs> = (node, ctx) => {
  const [x, alpha] = node.inputs;
  if (x === undefined || alpha === undefined) throw new EmitError('mlprogram', `PRELU node ${node.name} needs an input and alpha`);
  const shape = ctx.value(x).shape;
  const positive = ctx.temp('positive', shape);
  const negative = ctx.temp('negative', shape);
  const scaled = ctx.temp('scaled', shape);
  ctx.op('maximum', { x: ctx.ref(x), y: ctx.float(`${node.name}_zero`, 0) }, [positive]);
  ctx.op('minimum', { x: ctx.ref(x), y: ctx.float(`${node.name}_zero`, 0) }, [negative]);
  ctx.op('mul', { x: ctx.ref(negative), y: ctx.ref(alpha) }, [scaled]);
  ctx.op('add', { x: ctx.ref(positive), y: ctx.ref(scaled) }, node.outputs);
};

export const lowerMean: MilLowering<MeanAttrs> = (node, ctx) =>
  ctx.op(
    'reduce_mean',
    {
      x: ctx.ref(at(node.inputs, 0, 'MEAN input')),
      axes: ctx.ints(`${node.name}_axes`, node.attrs.axes),
      keep_dims: ctx.bool(`${node.name}_keep_dims`, node.attrs.keepDims),
    },
    node.outputs,
  );

/**
 * FULLY_CONNECTED as matmul with the [O, I] weights transposed (transpose_y), then the bias
 * added; an input that is not [batches, I] is reshaped to it first unless keep_num_dims keeps
 * its leading axes.
 */
export const lowerFullyConnected: MilLowering<FullyConnectedAttrs> = (node, ctx) => {
  requireNoActivation('mlprogram', node.name, node.attrs.activation);
  const [input, weights, bias] = node.inputs;
  const output = at(node.outputs, 0, 'FULLY_CONNECTED output');
  if (input === undefined || weights === undefined) throw new EmitError('mlprogram', `FULLY_CONNECTED node ${node.name} needs an input and weights`);
  const x = ctx.value(input);
  const depth = dim(ctx.value(weights).shape, 1);
  const outShape = ctx.value(output).shape;
  let rows = input;
  if (!node.attrs.keepNumDims && (x.shape.length !== 2 || dim(x.shape, 1) !== depth)) {
    const flat = [x.shape.reduce((a, b) => a * b, 1) / depth, depth];
    rows = ctx.temp('rows', flat);
    ctx.op('reshape', { x: ctx.ref(input), shape: ctx.ints(`${node.name}_rows_shape`, flat) }, [rows]);
  }
  const product = bias === undefined ? output : ctx.temp('product', outShape);
  ctx.op(
    'matmul',
    {
      x: ctx.ref(rows),
      y: ctx.ref(weights),
      transpose_x: ctx.bool(`${node.name}_transpose_x`, false),
      transpose_y: ctx.bool(`${node.name}_transpose_y`, true),
    },
    [product],
  );
  if (bias !== undefined) ctx.op('add', { x: ctx.ref(product), y: ctx.ref(bias) }, [output]);
};

/**
 * STRIDED_SLICE as slice_by_index, reading indices as Python does, then reshape where shrunk or
 * new axes change the rank. TFLite's end -1 (through index 0, walking backwards) is written as
 * -(dim + 1), which Python's slicing clamps to before index 0.
 */
export const lowerStridedSlice: MilLowering<StridedSliceAttrs> = (node, ctx) => {
  const input = at(node.inputs, 0, 'STRIDED_SLICE input');
  const output = at(node.outputs, 0, 'STRIDED_SLICE output');
  const x = ctx.value(input);
  const { begin, end, strides, shape } = node.attrs;
  const counts = sliceCounts(node.attrs);
  const sliced = counts.join() === shape.join() ? output : ctx.temp('sliced', counts);
  ctx.op(
    'slice_by_index',
    {
      x: ctx.ref(input),
      begin: ctx.ints(`${node.name}_begin`, begin),
      end: ctx.ints(
        `${node.name}_end`,
        end.map((e, axis) => (e < 0 ? -(dim(x.shape, axis) + 1) : e)),
      ),
      stride: ctx.ints(`${node.name}_stride`, strides),
    },
    [sliced],
  );
  if (sliced !== output) ctx.op('reshape', { x: ctx.ref(sliced), shape: ctx.ints(`${node.name}_shape`, shape) }, [output]);
};
