import type { Graph, Value } from '../../ir/graph.js';
import { floatsToHalves } from '../../ir/float16.js';
import { bytesOf } from '../../ir/dtype.js';
import { lowerToCoreml } from './op-lowerings.js';
import { encodeMlmodel } from '../../coreml/schema.js';
import { LAYER_KINDS, type FeatureDescription, type Metadata, type Model, type NeuralNetworkLayer } from '../../coreml/types.js';
import { EmitError } from '../../ir/errors.js';
import type { CoremlLoweringContext } from './lowering.js';

/**
 * Core ML specification 4 (iOS 13, macOS 10.15): the first with rank-N layers and exact input
 * shapes, and what the seed app's model uses. Every layer we emit exists in it.
 */
export const COREML_SPECIFICATION_VERSION = 4;

export interface CoremlImageInput {
  /** Each channel becomes scale * pixel + bias (Core ML's NeuralNetworkImageScaler). */
  readonly scale: number;
  readonly bias: number;
}

export interface CoremlEmitOptions {
  /** Store every parameter as IEEE half floats (`float16Value`) instead of float32. */
  readonly fp16?: boolean;
  /** Make the single graph input, NCHW [1,3,H,W], an RGB image scaled by the model's preprocessing. */
  readonly imageInput?: CoremlImageInput;
  /** Model metadata; `userDefined` is written sorted by key so output is byte-stable. */
  readonly metadata: Metadata;
  /** shortDescription of inputs and outputs, by name. */
  readonly featureDescriptions?: Readonly<Record<string, string>>;
}

export interface CoremlEmitReport {
  readonly specificationVersion: number;
  readonly layers: number;
  /** Layer count by Core ML layer type, sorted by type. */
  readonly layerTypes: Readonly<Record<string, number>>;
  /** Number of stored parameter values (weights, biases, constants). */
  readonly parameters: number;
}

/** Lowers a graph whose 4-D activations are NCHW (see `toNchw`) to serialized Core ML model bytes. */
export function emitCoreml(graph: Graph, options: CoremlEmitOptions): { readonly bytes: Uint8Array; readonly report: CoremlEmitReport } {
  const layers: NeuralNetworkLayer[] = [];
  const layerNames = new Set<string>();
  const loaded = new Set<string>();
  const blobs = new Set<string>(graph.values.keys());
  const temps = new Set<string>();
  let parameters = 0;
  let currentNode = '';

  const unique = (hint: string): string => {
    let name = hint;
    for (let i = 1; layerNames.has(name); i++) name = `${hint}_${i}`;
    layerNames.add(name);
    return name;
  };
  const value = (id: string): Value => {
    const found = graph.values.get(id);
    if (!found) throw new EmitError('coreml', `node ${currentNode} reads unknown value ${id}`);
    return found;
  };
  const ctx: CoremlLoweringContext = {
    value,
    constant(id, what) {
      const data = value(id).data;
      if (!(data instanceof Float32Array)) throw new EmitError('coreml', `node ${currentNode}: ${what} (${id}) must be a float32 constant`);
      return data;
    },
    weights(data) {
      parameters += data.length;
      return options.fp16 ? { float16Value: littleEndianHalves(data) } : { floatValue: data };
    },
    add(layer, inputs, outputs) {
      for (const id of inputs) {
        if (temps.has(id)) continue;
        const input = value(id);
        if (!input.data || loaded.has(id)) continue;
        loaded.add(id);
        // Core ML blobs have no rank 0: a scalar is [1].
        const shape = input.shape.length === 0 ? [1] : [...input.shape];
        layers.push({ name: unique(id), output: [id], loadConstantND: { shape, data: ctx.weights(ctx.constant(id, 'constant operand')) } });
      }
      layers.push({ name: unique(currentNode), input: [...inputs], output: [...outputs], ...layer });
    },
    temp(hint) {
      let name = hint;
      for (let i = 1; blobs.has(name); i++) name = `${hint}_${i}`;
      blobs.add(name);
      temps.add(name);
      return name;
    },
  };

  for (const node of graph.nodes) {
    currentNode = node.name;
    lowerToCoreml(node, ctx);
  }

  const describe = (id: string): FeatureDescription => {
    const shortDescription = options.featureDescriptions?.[id];
    return { name: id, ...(shortDescription ? { shortDescription } : {}) };
  };
  const inputs = graph.inputs.map((id): FeatureDescription => {
    const input = value(id);
    if (!options.imageInput) return { ...describe(id), type: { multiArrayType: arrayType(input) } };
    const [n, c, height, width] = input.shape;
    if (graph.inputs.length !== 1 || input.layout !== 'NCHW' || n !== 1 || c !== 3 || height === undefined || width === undefined) {
      throw new EmitError('coreml', `an image input must be the only input, NCHW [1,3,H,W]; ${id} is ${input.layout} [${input.shape.join(',')}]`);
    }
    return { ...describe(id), type: { imageType: { width, height, colorSpace: 'RGB' } } };
  });
  const image = options.imageInput;
  const model: Model = {
    specificationVersion: COREML_SPECIFICATION_VERSION,
    description: {
      input: inputs,
      output: graph.outputs.map((id) => ({ ...describe(id), type: { multiArrayType: arrayType(value(id)) } })),
      metadata: { ...options.metadata, userDefined: sortedRecord(options.metadata.userDefined ?? {}) },
    },
    neuralNetwork: {
      layers,
      preprocessing: image
        ? graph.inputs.map((featureName) => ({
            featureName,
            scaler: { channelScale: image.scale, redBias: image.bias, greenBias: image.bias, blueBias: image.bias },
          }))
        : [],
      arrayInputShapeMapping: 'EXACT_ARRAY_MAPPING',
      imageInputShapeMapping: 'RANK4_IMAGE_MAPPING',
    },
  };
  return {
    bytes: encodeMlmodel(model),
    report: { specificationVersion: COREML_SPECIFICATION_VERSION, layers: layers.length, layerTypes: layerTypes(layers), parameters },
  };
}

function arrayType(value: Value): { shape: number[]; dataType: 'FLOAT32' } {
  if (value.dtype !== 'float32') throw new EmitError('coreml', `${value.id} is ${value.dtype}; Core ML inputs and outputs here are float32`);
  return { shape: [...value.shape], dataType: 'FLOAT32' };
}

/** IEEE half floats as little-endian bytes, whatever the host's byte order. */
function littleEndianHalves(data: Float32Array): Uint8Array {
  return bytesOf(floatsToHalves(data));
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key] as string]),
  );
}

function layerTypes(layers: readonly NeuralNetworkLayer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of [...LAYER_KINDS].sort()) {
    const count = layers.filter((layer) => layer[kind] !== undefined).length;
    if (count > 0) counts[kind] = count;
  }
  return counts;
}
