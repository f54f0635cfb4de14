/**
 * Moving data between channels and space by blockSize b, on [..., C, H, W]. For DEPTH_TO_SPACE
 * output channel c at block offset (dy, dx) comes from input channel (dy * b + dx) * C_out + c
 * (TensorFlow's order); PIXEL_SHUFFLE takes it from c * b * b + dy * b + dx (PyTorch's order);
 * SPACE_TO_DEPTH is the inverse of DEPTH_TO_SPACE.
 */
import type { ReorganizeDataLayerParams } from '../../coreml/types.js';
import { enumField, expectInputs, expectRank, layerError, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import { leadingSize, type Tensor } from './tensor.js';

export function reorganizeData(ctx: LayerContext, p: ReorganizeDataLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['mode', 'blockSize']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  const mode = enumField(ctx, 'mode', p.mode, ['SPACE_TO_DEPTH', 'DEPTH_TO_SPACE', 'PIXEL_SHUFFLE'] as const);
  const b = p.blockSize ?? 0;
  if (b < 2) throw layerError(ctx, 'blockSize', `must be at least 2, got ${b}`);
  const rank = x.shape.length;
  const [c, h, w] = x.shape.slice(rank - 3) as [number, number, number];
  const toSpace = mode !== 'SPACE_TO_DEPTH';
  if (toSpace ? c % (b * b) !== 0 : h % b !== 0 || w % b !== 0) {
    throw layerError(ctx, 'blockSize', `${b} does not divide the input [${c}, ${h}, ${w}] for ${mode}`);
  }
  // The space-side tensor is [cs, hs, ws]; the depth-side one is [cs * b * b, hs / b, ws / b].
  const [cs, hs, ws] = toSpace ? [c / (b * b), h * b, w * b] : [c, h, w];
  const [hd, wd] = [hs / b, ws / b];
  // Space channel c at block offset (dy, dx) is depth channel c * channelStep + (dy * b + dx) * blockStep.
  const [channelStep, blockStep] = mode === 'PIXEL_SHUFFLE' ? [b * b, 1] : [1, cs];
  const outShape = toSpace ? [cs, hs, ws] : [cs * b * b, hd, wd];
  const out = outputTensor(ctx, [...x.shape.slice(0, rank - 3), ...outShape]);
  const item = c * h * w;
  for (let n = 0; n < leadingSize(x.shape, 3); n++) {
    for (let cSpace = 0; cSpace < cs; cSpace++) {
      for (let y = 0; y < hs; y++) {
        const rowBlock = (y % b) * b;
        let space = n * item + (cSpace * hs + y) * ws;
        for (let xx = 0; xx < ws; xx++, space++) {
          const channel = cSpace * channelStep + (rowBlock + (xx % b)) * blockStep;
          const depth = n * item + (channel * hd + Math.floor(y / b)) * wd + Math.floor(xx / b);
          if (toSpace) out.data[space] = x.data[depth]!;
          else out.data[depth] = x.data[space]!;
        }
      }
    }
  }
  return [out];
}
