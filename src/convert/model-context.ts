import type { Graph } from '../ir/graph.js';
import type { GraphLimits } from '../ir/limits.js';
import { loadGraph, targetGraph, type BackboneCache, type LoadedGraph, type TargetOptions } from './pipeline.js';
import type { LoadedModelFile, ModelEntry } from '../models/registry.js';
import { modelAnchorTable } from '../models/anchor-tables.js';
import type { DecoderOptions } from '../passes/append-decoder.js';
import { RegistryError } from '../ir/errors.js';

/** A model file read into the IR, with the registry facts the heads and metadata need. */
export interface ModelContext {
  readonly file: LoadedModelFile;
  readonly loaded: LoadedGraph;
  readonly graph: Graph;
  /** The emit-ready graph of this model for `options`; variants share their backbone passes. */
  target(options: TargetOptions): Graph;
}

export function loadModelContext(file: LoadedModelFile, limits?: GraphLimits): ModelContext {
  const loaded = loadGraph(file.bytes, file.path, limits);
  const backbones: BackboneCache = new Map();
  return { file, loaded, graph: loaded.graph, target: (options) => targetGraph(loaded.graph, options, backbones) };
}

/** Decoding needs anchors and scales, which only the registry knows. */
export function requireEntry(file: LoadedModelFile, what: string): ModelEntry {
  if (!file.entry) throw new RegistryError(`${what} needs the model's anchor and decoding options; this file matches no registry model by sha256`, file.path);
  return file.entry;
}

export function decoderOptions(entry: ModelEntry): DecoderOptions {
  const d = entry.decoding;
  return {
    anchors: modelAnchorTable(entry),
    xScale: d.x_scale,
    yScale: d.y_scale,
    wScale: d.w_scale,
    hScale: d.h_scale,
    scoreClip: d.score_clipping_thresh,
    numKeypoints: d.num_keypoints,
  };
}
