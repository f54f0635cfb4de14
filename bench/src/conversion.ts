/**
 * Where a conversion spends its time, per model and stage, measured in this process after a
 * few untimed rounds (so it shows the steady cost of each stage, not the JIT warming up; the
 * cold, fresh-process figure is in processes.ts). Stages:
 * - read: the TFLite flatbuffer decoded into the IR (readTflite + buildGraph, verified);
 * - loadGraph: read plus the source passes (constant folding, explicit activations, names);
 * - ONNX passes / ONNX emit: targetGraph (heads, pad folding, layout, channel alignment,
 *   residual split, each pass verified) and emitOnnx, for the raw ONNX model;
 * - portable passes: the graph Core ML and the weight files share (targetGraph, profile 'portable');
 * - Core ML, weights: convertToCoreml (decoded image model: decoder head and emit) and
 *   convertToWeights (float32 emit); the portable backbone they share is made once per loaded
 *   graph, in the stage above.
 */
import { resolveDetector } from '../../src/convert/resolve-detector.js';
import { convertToCoreml } from '../../src/convert/convert-coreml.js';
import { convertToWeights } from '../../src/convert/convert-weights.js';
import { emitOnnx } from '../../src/emit/onnx/emit-onnx.js';
import { loadGraph, targetGraph, backboneCache } from '../../src/convert/pipeline.js';
import type { ModelContext } from '../../src/convert/model-context.js';
import { buildGraph } from '../../src/read/build-graph.js';
import { readTflite } from '../../src/read/read-tflite.js';
import { verifyGraph } from '../../src/passes/verify-graph.js';
import { listModels, loadModelFile } from '../../src/models/registry.js';
import { summarize, timed } from './timing.js';

export const STAGES = [
  'read',
  'loadGraph (read + source passes)',
  'ONNX passes',
  'ONNX emit',
  'portable passes',
  'Core ML (head + emit)',
  'weights (emit)',
] as const;
export type Stage = (typeof STAGES)[number];

export interface StageTimes {
  readonly model: string;
  /** Median milliseconds per stage. */
  readonly ms: Readonly<Record<Stage, number>>;
}

export function benchConversion(options: { readonly runs: number; readonly warmup: number }): StageTimes[] {
  return listModels().map((entry) => {
    const file = loadModelFile(entry.id);
    const samples = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
    for (let round = 0; round < options.warmup + options.runs; round++) {
      const read = timed(() => verifyGraph(buildGraph(readTflite(file.bytes, file.path)), 'buildGraph'));
      const loaded = timed(() => loadGraph(file.bytes, file.path));
      const backbones = backboneCache();
      const ctx: ModelContext = {
        file,
        loaded: loaded.value,
        graph: loaded.value.graph,
        ...resolveDetector(file, loaded.value, {}),
        target: (o) => targetGraph(loaded.value.graph, o, backbones),
      };
      const target = timed(() => ctx.target({}));
      const times: Record<Stage, number> = {
        read: read.ms,
        'loadGraph (read + source passes)': loaded.ms,
        'ONNX passes': target.ms,
        'ONNX emit': timed(() => emitOnnx(target.value, { producerVersion: 'bench', graphName: entry.id, metadata: {} })).ms,
        'portable passes': timed(() => ctx.target({ nchwInput: true, profile: 'portable' })).ms,
        'Core ML (head + emit)': timed(() => convertToCoreml(ctx)).ms,
        'weights (emit)': timed(() => convertToWeights(ctx)).ms,
      };
      if (round >= options.warmup) for (const stage of STAGES) samples[stage].push(times[stage]);
    }
    return { model: entry.id, ms: Object.fromEntries(STAGES.map((s) => [s, summarize(samples[s]).medianMs])) as Record<Stage, number> };
  });
}
