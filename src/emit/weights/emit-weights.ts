import { sha256Hex } from '../../io/sha256.js';
import type { Graph, Value } from '../../ir/graph.js';
import { floatsToHalves } from '../../ir/float16.js';
import { bytesOf } from '../../ir/dtype.js';
import { EmitError } from '../../ir/errors.js';
import { OP_TABLE } from '../../ir/op-table.js';

/** Format name and version written into every manifest; see docs/weights.md. */
export const WEIGHTS_FORMAT = 'blazeface-weights';
export const WEIGHTS_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export type WeightsDType = 'float32' | 'float16';

/** An activation: a graph input or output, or a layer output. */
export interface ActivationInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layout: string;
}

export interface ManifestLayer {
  readonly name: string;
  /** TFLite op name, as the converter's IR calls it (attributes keep their IR meaning). */
  readonly op: string;
  /** Index into the model's BlazeBlock table (`blazeface inspect`), or null outside any block. */
  readonly blazeBlock: number | null;
  /** Activations and tensors it reads, by name, in operand order. */
  readonly inputs: readonly string[];
  readonly outputs: readonly ActivationInfo[];
  readonly attrs: unknown;
}

export interface ManifestTensor {
  readonly name: string;
  /** File name inside the weights folder. */
  readonly file: string;
  /** The first layer that reads it, with that layer's op and BlazeBlock index. */
  readonly layer: string;
  readonly op: string;
  readonly blazeBlock: number | null;
  /** `weights` or `bias` of a convolution, else `operand`. */
  readonly role: 'weights' | 'bias' | 'operand';
  readonly shape: readonly number[];
  readonly layout: string;
  readonly dtype: WeightsDType;
  readonly byteLength: number;
  readonly sha256: string;
}

export interface WeightsManifest {
  readonly format: typeof WEIGHTS_FORMAT;
  readonly version: typeof WEIGHTS_FORMAT_VERSION;
  readonly model: string;
  readonly source: { readonly file: string; readonly sha256: string };
  readonly converter: { readonly name: string; readonly version: string };
  readonly byteOrder: 'little-endian';
  readonly dtype: WeightsDType;
  readonly inputs: readonly ActivationInfo[];
  readonly outputs: readonly ActivationInfo[];
  /** In execution order: every layer's inputs are graph inputs, tensors or earlier outputs. */
  readonly layers: readonly ManifestLayer[];
  readonly tensors: readonly ManifestTensor[];
}

export interface WeightsEmitOptions {
  readonly dtype: WeightsDType;
  readonly model: string;
  readonly source: { readonly file: string; readonly sha256: string };
  readonly converter: { readonly name: string; readonly version: string };
  /** BlazeBlock index of a node, by node name. */
  readonly blazeBlockOf: (node: string) => number | undefined;
}

export interface WeightsFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * Writes a graph's constants as one little-endian file each, in the layout the graph holds
 * them (for the NCHW graph: Core ML's, kernels [O, I/groups, kH, kW]), plus a manifest that
 * describes every layer and every tensor, so the network can be rebuilt from the folder alone.
 * Pure: returns the files, manifest.json last.
 */
export function emitWeights(graph: Graph, options: WeightsEmitOptions): { readonly files: WeightsFile[]; readonly manifest: WeightsManifest } {
  const files: WeightsFile[] = [];
  const tensors: ManifestTensor[] = [];
  const written = new Set<string>();
  const activation = (id: string): ActivationInfo => {
    const value = graph.values.get(id);
    if (!value) throw new EmitError('weights', `graph has no value ${id}`);
    return { name: id, shape: value.shape, layout: value.layout };
  };

  const layers = graph.nodes.map((node): ManifestLayer => {
    const blazeBlock = options.blazeBlockOf(node.name) ?? null;
    node.inputs.forEach((id, position) => {
      const value = graph.values.get(id);
      if (!value?.data || written.has(id)) return;
      written.add(id);
      const declared = OP_TABLE[node.op].inputs[position];
      const role = declared === 'weights' || declared === 'bias' ? declared : 'operand';
      const file = `${String(tensors.length).padStart(3, '0')}-${safeName(node.name)}-${role}.bin`;
      const bytes = tensorBytes(value, options.dtype);
      files.push({ name: file, bytes });
      tensors.push({
        name: id,
        file,
        layer: node.name,
        op: node.op,
        blazeBlock,
        role,
        shape: value.shape,
        layout: value.layout,
        dtype: options.dtype,
        byteLength: bytes.byteLength,
        sha256: sha256Hex(bytes),
      });
    });
    return { name: node.name, op: node.op, blazeBlock, inputs: node.inputs, outputs: node.outputs.map(activation), attrs: node.attrs };
  });

  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_FORMAT_VERSION,
    model: options.model,
    source: options.source,
    converter: options.converter,
    byteOrder: 'little-endian',
    dtype: options.dtype,
    inputs: graph.inputs.map(activation),
    outputs: graph.outputs.map(activation),
    layers,
    tensors,
  };
  files.push({ name: MANIFEST_FILE, bytes: new TextEncoder().encode(`${manifestJson(manifest)}\n`) });
  return { files, manifest };
}

/**
 * Indented JSON with every list of numbers (shapes, paddings) on one line, so the layer table
 * stays readable. Each level appends to one string: mapping and joining arrays of entries at
 * every level took three times as long, a step of every weights conversion.
 */
function manifestJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'number')) return JSON.stringify(value).replaceAll(',', ', ');
    const inner = `${indent}  `;
    let out = '';
    for (const item of value) out += `${out === '' ? '[\n' : ',\n'}${inner}${manifestJson(item, inner)}`;
    return out === '' ? '[]' : `${out}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const inner = `${indent}  `;
    let out = '';
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out += `${out === '' ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: ${manifestJson(item, inner)}`;
    }
    return out === '' ? '{}' : `${out}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Row-major little-endian values, float32 or rounded to IEEE half floats. */
function tensorBytes(value: Value, dtype: WeightsDType): Uint8Array {
  if (!(value.data instanceof Float32Array)) throw new EmitError('weights', `constant ${value.id} is ${value.dtype}; weight files hold float32 constants`);
  return bytesOf(dtype === 'float16' ? floatsToHalves(value.data) : value.data);
}

/** Node names hold TFLite tensor paths (`model_1/model/...`); keep file names portable. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}
