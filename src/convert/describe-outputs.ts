import type { Graph } from '../ir/graph.js';
import type { ModelContext } from './model-context.js';

/** How 8-bit pixels become the model's input range, in words. */
export function inputRangeText(range: readonly [number, number]): string {
  const [low, high] = range;
  if (low === -1 && high === 1) return 'RGB in [-1, 1] (pixel / 127.5 - 1)';
  if (low === 0 && high === 1) return 'RGB in [0, 1] (pixel / 255)';
  return `RGB in [${low}, ${high}] (${low} + pixel * ${high - low} / 255)`;
}

/**
 * One line per output of `graph` for model descriptions: an SSD detector's outputs say what
 * their columns hold; any other output gives its shape and the TFLite tensor it came from.
 */
export function describeOutputs(ctx: ModelContext, graph: Graph, names: ReadonlyMap<string, string> = new Map()): Record<string, string> {
  const k = ctx.detector?.keypoints.length ?? 0;
  const tflite = new Map(ctx.loaded.source.outputs.map((id, i) => [ctx.graph.outputs[i] ?? '', id] as const));
  const descriptions: Record<string, string> = {};
  for (const id of graph.outputs) {
    const shape = `[${graph.values.get(id)?.shape.join(',')}]`;
    descriptions[names.get(id) ?? id] =
      id === 'regressors'
        ? `${shape}: box centre x, y, width, height and ${k} keypoints (x, y) relative to the anchors, in input pixels`
        : id === 'classificators'
          ? `${shape}: logits`
          : id === 'boxes'
            ? `${shape}: xmin, ymin, xmax, ymax, then ${k} keypoints (x, y), normalized to the input`
            : id === 'scores'
              ? `${shape}: sigmoid of the logits clamped to ±${ctx.detector?.decoding.score_clipping_thresh}`
              : `${shape}: TFLite output ${tflite.get(id) ?? id}`;
  }
  return descriptions;
}
