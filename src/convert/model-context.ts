import type { Graph } from '../ir/graph.js';
import type { GraphLimits } from '../ir/limits.js';
import { backboneCache, loadGraph, targetGraph, type LoadedGraph, type TargetOptions } from './pipeline.js';
import type { LoadedModelFile, ModelEntry } from '../models/registry.js';
import { detectorAnchorTable, type DetectorSpec } from '../models/detector.js';
import type { DecoderOptions } from '../passes/append-decoder.js';
import { RegistryError } from '../ir/errors.js';
import { resolveDetector, type DetectorOverrides, type ModelInput } from './resolve-detector.js';
import { readTfliteMetadata, type TfliteMetadataInfo } from '../read/read-metadata.js';

export type { ModelInput } from './resolve-detector.js';

/** A model file read into the IR, with the facts the heads and metadata need. */
export interface ModelContext {
  readonly file: LoadedModelFile;
  readonly loaded: LoadedGraph;
  readonly graph: Graph;
  /** The model input: size in pixels and the float range 8-bit pixels map to. */
  readonly input: ModelInput;
  /** SSD detectors: how to decode the outputs (registry, option files, or inferred from the graph). */
  readonly detector?: DetectorSpec;
  /** Why an SSD-shaped model has no detector (its anchors could not be inferred). */
  readonly undecodable?: string;
  /** The file's TFLITE_METADATA (name, version, normalization, labels), when it carries one. */
  readonly metadata?: TfliteMetadataInfo;
  /** Why the file's TFLITE_METADATA could not be read; the model itself still converts. */
  readonly metadataProblem?: string;
  /** The emit-ready graph of this model for `options`; variants share their backbone passes. */
  target(options: TargetOptions): Graph;
}

export interface ModelContextOptions {
  /** Anchor and decoding options that replace the registry's or the inferred ones. */
  readonly overrides?: DetectorOverrides;
}

export function loadModelContext(file: LoadedModelFile, limits?: GraphLimits, options: ModelContextOptions = {}): ModelContext {
  const loaded = loadGraph(file.bytes, file.path, limits);
  const backbones = backboneCache();
  const { metadata, problem } = readTfliteMetadata(loaded.tflite, file.bytes);
  const resolved = resolveDetector(file, loaded, options.overrides ?? {}, metadata);
  return {
    file,
    loaded,
    graph: loaded.graph,
    ...resolved,
    ...(metadata ? { metadata } : {}),
    ...(problem ? { metadataProblem: problem } : {}),
    target: (target) => targetGraph(loaded.graph, target, backbones),
  };
}

/** Golden outputs exist for registry models only. */
export function requireEntry(file: LoadedModelFile, what: string): ModelEntry {
  if (!file.entry) throw new RegistryError(`${what} needs a registry model's golden outputs; this file matches no registry model by sha256`, file.path);
  return file.entry;
}

/** Decoding needs anchors and decoding options: an SSD detector's. */
export function requireDetector(ctx: ModelContext, what: string): DetectorSpec {
  if (!ctx.detector) {
    const outputs = ctx.graph.outputs.map((id) => `${id} [${ctx.graph.values.get(id)?.shape.join(',')}]`).join(', ');
    const why = ctx.undecodable ?? `this model's outputs are ${outputs}`;
    throw new RegistryError(`${what} needs an SSD detector (a [1,N,4+2K] and a [1,N,1] output) with anchors; ${why}`, ctx.file.path);
  }
  return ctx.detector;
}

export function decoderOptions(spec: DetectorSpec): DecoderOptions {
  const d = spec.decoding;
  return {
    anchors: detectorAnchorTable(spec),
    xScale: d.x_scale,
    yScale: d.y_scale,
    wScale: d.w_scale,
    hScale: d.h_scale,
    scoreClip: d.score_clipping_thresh,
    numKeypoints: d.num_keypoints,
  };
}
