import type { Graph } from '../ir/graph.js';
import { anchorOptionsFromJson } from '../anchors/options-json.js';
import { BlazefaceError } from '../ir/errors.js';
import { registryDetector, type DetectorSpec } from '../models/detector.js';
import { keypointNames, type KeypointFamily } from '../models/keypoints.js';
import type { AnchorOptionsJson, DecodingOptions, LoadedModelFile, ModelEntry } from '../models/registry.js';
import { decodingOptionsFromJson } from '../models/decoding-options.js';
import { ssdOutputs } from '../passes/rename-values.js';
import type { LoadedGraph } from './pipeline.js';
import { headSources } from './ssd-heads.js';
import { normalizationRange, type TfliteMetadataInfo } from '../read/read-metadata.js';

/** A model's input: size in pixels and the float range 8-bit pixels map to. */
export interface ModelInput {
  readonly width: number;
  readonly height: number;
  readonly range: readonly [number, number];
  /** Why the range is what it is (the registry, the file's metadata, or the detector family's default). */
  readonly rangeSource: string;
}

/** Options files that replace the registry's or the inferred options (`--anchors`, `--decoding`). */
export interface DetectorOverrides {
  /** A complete SsdAnchorsCalculatorOptions object, MediaPipe field names. */
  readonly anchors?: { readonly json: unknown; readonly where: string };
  /** TensorsToDetectionsCalculatorOptions fields laid over the registry's or the inferred ones. */
  readonly decoding?: { readonly json: unknown; readonly where: string };
}

/**
 * MediaPipe's face detection graphs feed [-1, 1], its palm and landmark graphs [0, 1]
 * (ImageToTensorCalculator output_tensor_float_range); a file the registry does not know
 * gets the range its TFLITE_METADATA normalization gives, else its family's range.
 */
const FAMILY_RANGE: Readonly<Record<KeypointFamily, readonly [number, number]>> = { face: [-1, 1], palm: [0, 1] };

/** MediaPipe's detector graphs keep detections scoring at least this unless they say otherwise. */
const DEFAULT_MIN_SCORE = 0.5;

/**
 * The model's input and, for an SSD detector, its anchor and decoding options: from the
 * registry entry, else inferred from the graph; option files replace either.
 */
export function resolveDetector(
  file: LoadedModelFile,
  loaded: LoadedGraph,
  overrides: DetectorOverrides,
  metadata?: TfliteMetadataInfo,
): { detector?: DetectorSpec; input: ModelInput; undecodable?: string } {
  const { graph } = loaded;
  const [, height = 0, width = 0] = graph.values.get(graph.inputs[0] ?? '')?.shape ?? [];
  const entry = file.entry;
  let detector: DetectorSpec | undefined;
  let undecodable: string | undefined;
  try {
    detector = entry ? registryDetector(entry) : inferDetector(graph);
  } catch (error) {
    // Conversion goes on without decoding; asking for it reports why.
    if (!(error instanceof BlazefaceError)) throw error;
    undecodable = error.message;
  }
  if (overrides.anchors || overrides.decoding) {
    if (!detector && !(overrides.anchors && overrides.decoding)) {
      throw new BlazefaceError('is not an SSD detector, so both --anchors and --decoding are needed to decode it', file.path);
    }
    detector = applyOverrides(detector, overrides);
  }
  const metadataRange = normalizationRange(metadata?.inputs[0]);
  const input: ModelInput = entry
    ? registryInput(entry)
    : metadataRange
      ? { width, height, range: metadataRange, rangeSource: "the file's TFLITE_METADATA input normalization" }
      : detector?.family
        ? { width, height, range: FAMILY_RANGE[detector.family], rangeSource: `MediaPipe's ${detector.family} detection graphs` }
        : { width, height, range: [-1, 1], rangeSource: 'default (BlazeFace convention); not known for this file' };
  return { ...(detector ? { detector } : {}), input, ...(undecodable && !detector ? { undecodable } : {}) };
}

/** A registry model's input, as resolveDetector gives it: the registry's size and range. */
export function registryInput(entry: ModelEntry): ModelInput {
  return { width: entry.input.width, height: entry.input.height, range: entry.input.range, rangeSource: 'registry' };
}

function applyOverrides(detector: DetectorSpec | undefined, overrides: DetectorOverrides): DetectorSpec {
  const anchors = overrides.anchors ? (overrides.anchors.json as AnchorOptionsJson) : detector?.anchors;
  if (overrides.anchors) anchorOptionsFromJson(overrides.anchors.json, overrides.anchors.where);
  const decoding: DecodingOptions | undefined = overrides.decoding
    ? decodingOptionsFromJson(overrides.decoding.json, overrides.decoding.where, detector?.decoding)
    : detector?.decoding;
  if (!anchors || !decoding) throw new BlazefaceError('anchor and decoding options are both needed');
  const { family, names } = keypointNames(decoding.num_keypoints, detector?.family);
  return {
    anchors,
    decoding,
    ...(family ? { family } : {}),
    keypoints: names,
    origin: {
      anchors: overrides.anchors ? 'options file' : (detector?.origin.anchors ?? 'options file'),
      decoding: overrides.decoding ? 'options file' : (detector?.origin.decoding ?? 'options file'),
    },
    reasons: [
      ...(detector?.reasons ?? []),
      ...(overrides.anchors ? [`anchor options from ${overrides.anchors.where}`] : []),
      ...(overrides.decoding ? [`decoding options from ${overrides.decoding.where} (over the ${detector ? detector.origin.decoding : 'given'} ones)`] : []),
    ],
  };
}

/**
 * Anchors and decoding of an SSD detector the registry does not know, from its graph: the
 * input size, and for each head (in anchor order) its grid and anchors per cell. Every
 * MediaPipe Blaze detector uses fixed-size anchors (w = h = 1), so only the anchor centres
 * matter and they follow from the grids: stride = input / grid, and a head with 2k anchors
 * per cell is k SsdAnchorsCalculator layers of that stride (aspect ratio 1 plus the
 * interpolated anchor each), one with 1 anchor per cell a layer without the interpolated one.
 * The scales are the input size, MediaPipe's convention, and the keypoint count is
 * (regressor width - 4) / 2.
 */
export function inferDetector(graph: Graph): DetectorSpec | undefined {
  const outputs = ssdOutputs(graph);
  if (!outputs) return undefined;
  const input = graph.values.get(graph.inputs[0] ?? '');
  const [, height = 0, width = 0] = input?.shape ?? [];
  const regressors = graph.values.get(outputs.regressors);
  const [, boxes = 0, coords = 0] = regressors?.shape ?? [];
  const heads = headSources(graph, outputs.regressors);
  const reasons = [`input ${width}x${height}, from the graph input [${input?.shape.join(',')}]`];
  const covered = heads.reduce((n, h) => n + h.grid[0] * h.grid[1] * h.anchorsPerCell, 0);
  if (heads.length === 0 || covered !== boxes) {
    throw new BlazefaceError(`its heads cover ${covered} of the ${boxes} anchors of ${outputs.regressors}; pass --anchors and --decoding`, graph.meta.file);
  }
  const interpolated = heads.every((h) => h.anchorsPerCell % 2 === 0);
  const strides: number[] = [];
  for (const head of heads) {
    const [gh, gw] = head.grid;
    const stride = height / gh;
    if (!Number.isInteger(stride) || width / gw !== stride) {
      throw new BlazefaceError(`head ${head.head}: grid ${gh}x${gw} is no whole stride of the ${width}x${height} input; pass --anchors`, graph.meta.file);
    }
    const layers = interpolated ? head.anchorsPerCell / 2 : head.anchorsPerCell;
    strides.push(...Array<number>(layers).fill(stride));
    reasons.push(`head ${head.head}: ${gh}x${gw} grid, ${head.anchorsPerCell} anchors per cell -> stride ${stride}, ${layers} layer(s)`);
  }
  reasons.push(
    interpolated
      ? 'every head has an even number of anchors per cell: aspect ratio 1.0 plus the interpolated anchor per layer'
      : 'a head has an odd number of anchors per cell: aspect ratio 1.0 only (interpolated_scale_aspect_ratio 0)',
    "fixed_anchor_size: every MediaPipe Blaze detector uses it (w = h = 1), so min_scale and max_scale (MediaPipe's 0.1484375, 0.75) do not change the table",
  );
  const numKeypoints = (coords - 4) / 2;
  const { family, names } = keypointNames(numKeypoints);
  reasons.push(
    `${numKeypoints} keypoints = (${coords} - 4) / 2 from ${outputs.regressors} [${regressors?.shape.join(',')}]${family ? ` -> ${family} keypoint names` : ''}`,
  );
  reasons.push(
    `x/y/w/h scales ${width}/${height}: the input size, MediaPipe's convention; min_score_thresh ${DEFAULT_MIN_SCORE}, MediaPipe's default (override with --decoding)`,
  );
  const anchors: AnchorOptionsJson = {
    input_size_width: width,
    input_size_height: height,
    num_layers: strides.length,
    min_scale: 0.1484375,
    max_scale: 0.75,
    anchor_offset_x: 0.5,
    anchor_offset_y: 0.5,
    strides,
    aspect_ratios: [1.0],
    interpolated_scale_aspect_ratio: interpolated ? 1.0 : 0.0,
    fixed_anchor_size: true,
  };
  const decoding: DecodingOptions = {
    num_boxes: boxes,
    num_coords: coords,
    box_coord_offset: 0,
    keypoint_coord_offset: 4,
    num_keypoints: numKeypoints,
    num_values_per_keypoint: 2,
    x_scale: width,
    y_scale: height,
    w_scale: width,
    h_scale: height,
    sigmoid_score: true,
    score_clipping_thresh: 100,
    reverse_output_order: true,
    min_score_thresh: DEFAULT_MIN_SCORE,
    min_suppression_threshold: 0.3,
  };
  return {
    anchors,
    decoding,
    ...(family ? { family } : {}),
    keypoints: names,
    origin: { anchors: 'inferred from the graph', decoding: 'inferred from the graph' },
    reasons,
  };
}
