import type { Graph } from '../ir/graph.js';
import { DEFAULT_GRAPH_LIMITS, type GraphLimits } from '../ir/limits.js';
import { readTflite, type TfliteFile } from '../read/read-tflite.js';
import { buildGraph } from '../read/build-graph.js';
import { runPasses, verifyGraph } from '../passes/verify-graph.js';
import { foldConstants } from '../passes/fold-constants.js';
import { expandFusedActivation } from '../passes/expand-fused-activation.js';
import { canonicalNames, renameValues } from '../passes/rename-values.js';
import { foldPad } from '../passes/fold-pad.js';
import { toNchw } from '../passes/to-nchw.js';
import { optimizeForOnnxRuntime } from '../emit/onnx/optimize.js';
import { appendDecoder, type DecoderOptions } from '../passes/append-decoder.js';
import { prependPreprocess } from '../passes/prepend-preprocess.js';
import { DerivedConstants } from '../ir/derived-constants.js';

export interface LoadedGraph {
  readonly tflite: TfliteFile;
  /** The graph exactly as the file states it (DEQUANTIZE, DENSIFY and fused activations included). */
  readonly source: Graph;
  /**
   * The source graph with constants folded, activations explicit and canonical I/O names
   * (`input`; `regressors`, `classificators` for an SSD detector, else the sanitized TFLite
   * names): still NHWC, the graph the reference evaluator runs.
   */
  readonly graph: Graph;
}

/** Reads a TFLite file into the intermediate graph. */
export function loadGraph(bytes: Uint8Array, file: string, limits: GraphLimits = DEFAULT_GRAPH_LIMITS): LoadedGraph {
  return graphFromTflite(readTflite(bytes, file), limits);
}

/** loadGraph of a file already read. */
export function graphFromTflite(tflite: TfliteFile, limits: GraphLimits = DEFAULT_GRAPH_LIMITS): LoadedGraph {
  const source = verifyGraph(buildGraph(tflite, limits), 'buildGraph');
  const graph = runPasses(source, [
    ['foldConstants', foldConstants],
    ['expandFusedActivation', expandFusedActivation],
    ['canonicalNames', (g) => renameValues(g, canonicalNames(g))],
  ]);
  return { tflite, source, graph };
}

export interface TargetOptions {
  /** Append MediaPipe decoding: outputs `boxes` and `scores` instead of raw tensors. */
  readonly decode?: DecoderOptions;
  /** Add a uint8 `image` input mapped inside the graph to the model's input range. */
  readonly preprocess?: { readonly range: readonly [number, number] };
  /** NCHW graph input instead of TFLite's NHWC. */
  readonly nchwInput?: boolean;
  /**
   * `onnxruntime` (default) also shapes the graph for ONNX Runtime's blocked CPU layout:
   * channel counts rounded up with zero channels and channel-padded shortcuts split.
   * `portable` leaves that out, for Core ML and the weight files, where those zeros would
   * only add bytes and arithmetic; every output is the same either way.
   */
  readonly profile?: 'onnxruntime' | 'portable';
}

/**
 * Backbones already made from one loaded graph, keyed by the passes that made them, and the
 * constants those passes derived. The caller owns it (one per loaded model, see ModelContext),
 * so all variants of a model share their backbone passes and kernels and nothing outlives the
 * model.
 */
export interface BackboneCache {
  readonly graphs: Map<string, Graph>;
  readonly constants: DerivedConstants;
}

export function backboneCache(): BackboneCache {
  return { graphs: new Map(), constants: new DerivedConstants() };
}

/**
 * The emit-ready graph: spatial PADs folded, activations NCHW (for `onnxruntime`, channel
 * counts in whole blocks and channel-padded shortcuts split), then the heads. The heads work
 * on the [1,N,k] outputs and the NHWC `input`, which the layout passes leave as they are, so
 * they go on last and all variants of a model share one backbone.
 */
export function targetGraph(graph: Graph, options: TargetOptions, cache: BackboneCache = backboneCache()): Graph {
  const profile = options.profile ?? 'onnxruntime';
  const nchwInput = options.nchwInput ?? false;
  const made = (key: string, make: () => Graph): Graph => {
    const known = cache.graphs.get(key);
    if (known) return known;
    const fresh = make();
    cache.graphs.set(key, fresh);
    return fresh;
  };
  const padded = made('foldPad', () => runPasses(graph, [['foldPad', foldPad]]));
  const nchw = made(`nchw:${nchwInput}`, () => runPasses(padded, [['toNchw', (g) => toNchw(g, { nchwInput, constants: cache.constants })]]));
  const backbone = profile === 'portable' ? nchw : made(`onnxruntime:${nchwInput}`, () => optimizeForOnnxRuntime(nchw, cache.constants));
  const { decode, preprocess } = options;
  return runPasses(backbone, [
    ...(decode ? [['appendDecoder', (g: Graph) => appendDecoder(g, decode)] as const] : []),
    ...(preprocess ? [['prependPreprocess', (g: Graph) => prependPreprocess(g, preprocess)] as const] : []),
  ]);
}
