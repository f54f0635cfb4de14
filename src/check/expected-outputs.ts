import { decodeAll } from '../detect/decode-detections.js';
import { detectorAnchorTable } from '../models/detector.js';
import { requireDetector, type ModelContext } from '../convert/model-context.js';
import { goldenTensor, type GoldenOutputs } from './golden.js';

/**
 * What a converted model must output for a golden case, by output name: the golden tensors
 * themselves, or for a decoded detector the golden regressors and logits decoded in TypeScript
 * (`boxes`, `scores`).
 */
export function expectedOutputs(ctx: ModelContext, golden: GoldenOutputs, decoded: boolean): Map<string, Float32Array> {
  if (!decoded) return new Map(golden.tensors);
  const detector = requireDetector(ctx, 'decoded parity');
  const { boxes, scores } = decodeAll(
    goldenTensor(golden, 'regressors'),
    goldenTensor(golden, 'classificators'),
    detectorAnchorTable(detector),
    detector.decoding,
  );
  return new Map([
    ['boxes', boxes],
    ['scores', scores],
  ]);
}
