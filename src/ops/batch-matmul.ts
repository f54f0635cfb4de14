import type { BatchMatMulOptions } from '../schema/tflite.js';
import type { OpDef } from './op-def.js';
import { at, broadcastShapes, dim, input } from './common.js';
import { batchMatMul } from '../runtimes/reference/kernels/index.js';
import { ints } from '../emit/onnx/lowering.js';
import { lowerBatchMatmul } from '../emit/coreml/layers/matmul.js';

export interface BatchMatMulAttrs {
  readonly adjX: boolean;
  readonly adjY: boolean;
}

/** Used by the `--decode` head to turn centre/size boxes into corners. */
export const BATCH_MATMUL: OpDef<BatchMatMulAttrs, BatchMatMulOptions> = {
  tfliteOptions: 'BatchMatMulOptions',
  fromTflite: (ctx) => ({ attrs: { adjX: ctx.options?.adjX ?? false, adjY: ctx.options?.adjY ?? false } }),
  inferOutputs(attrs, inputs) {
    const a = input(inputs, 0, 'BATCH_MATMUL');
    const b = input(inputs, 1, 'BATCH_MATMUL');
    const rows = attrs.adjX ? dim(a.shape, -1) : dim(a.shape, -2);
    const cols = attrs.adjY ? dim(b.shape, -2) : dim(b.shape, -1);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return [{ dtype: a.dtype, shape: [...batch, rows, cols] }];
  },
  evaluate: (attrs, inputs) => [batchMatMul(at(inputs, 0, 'BATCH_MATMUL a'), at(inputs, 1, 'BATCH_MATMUL b'), attrs)],
  layout: 'nhwc',
  coreml: lowerBatchMatmul,
  onnx(node, ctx) {
    const operands = node.inputs.map((id, i) => {
      if (!(i === 0 ? node.attrs.adjX : node.attrs.adjY)) return id;
      const rank = ctx.value(id).shape.length;
      const swapped = ctx.temp(`${id}_adj`);
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
      ctx.add('Transpose', [id], [swapped], { perm: ints(perm) });
      return swapped;
    });
    ctx.add('MatMul', operands, node.outputs);
  },
};
