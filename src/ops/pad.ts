import type { OpDef } from './op-def.js';
import { at, input } from './common.js';
import { pad } from '../runtimes/reference/kernels/index.js';
import { int } from '../emit/onnx/lowering.js';
import { lowerPad } from '../emit/coreml/layers/shape.js';

export interface PadAttrs {
  /** [before, after] per axis of the input's current layout; the pad value is 0. */
  readonly paddings: readonly (readonly [number, number])[];
}

/**
 * Zero padding. On spatial axes `foldPad` merges it into the next convolution; on the
 * channel axis it is BlazeBlock channel padding and stays.
 */
export const PAD: OpDef<PadAttrs> = {
  tfliteOptions: 'PadOptions',
  fromTflite(ctx) {
    const x = ctx.inputs[0];
    if (!x) return ctx.unsupported('expects an input');
    const flat = ctx.constantInts(1, 'paddings');
    if (flat.length !== 2 * x.shape.length) ctx.unsupported(`paddings has ${flat.length} values for rank ${x.shape.length}`);
    const paddings = x.shape.map((_, i) => [flat[2 * i] ?? 0, flat[2 * i + 1] ?? 0] as const);
    if (paddings.some(([b, a]) => b < 0 || a < 0)) ctx.unsupported('negative padding');
    return { attrs: { paddings }, keep: [0] };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'PAD');
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => d + (attrs.paddings[i]?.[0] ?? 0) + (attrs.paddings[i]?.[1] ?? 0)) }];
  },
  evaluate: (attrs, inputs) => [pad(at(inputs, 0, 'PAD input'), attrs.paddings)],
  layout: 'axis',
  remapAxes: (attrs, perm) => ({ paddings: perm.map((axis) => at(attrs.paddings, axis, 'PAD paddings')) }),
  coreml: lowerPad,
  onnx(node, ctx) {
    const p = node.attrs.paddings;
    const input = at(node.inputs, 0, 'PAD input');
    const x = ctx.value(input);
    const grown = p.flatMap(([before, after], axis) => (before || after ? [axis] : []));
    const axis = grown[0];
    // Padding only the end of one axis is a concatenation with zeros. ONNX Runtime keeps
    // Concat in its blocked NCHWc layout, while Pad forces a reorder on each side of it.
    if (grown.length === 1 && axis !== undefined && p[axis]?.[0] === 0) {
      const shape = x.shape.map((d, i) => (i === axis ? (p[axis]?.[1] ?? 0) : d));
      const shapeName = ctx.constant(`${node.name}_zeros_shape`, 'int64', [shape.length], BigInt64Array.from(shape, BigInt));
      const zeros = ctx.temp(`${node.name}_zeros`);
      ctx.add('ConstantOfShape', [shapeName], [zeros], {});
      ctx.add('Concat', [input, zeros], node.outputs, { axis: int(axis) });
      return;
    }
    const pads = BigInt64Array.from([...p.map(([before]) => before), ...p.map(([, after]) => after)], BigInt);
    const padsName = ctx.constant(`${node.name}_pads`, 'int64', [pads.length], pads);
    ctx.add('Pad', [at(node.inputs, 0, 'PAD input'), padsName], node.outputs);
  },
};
