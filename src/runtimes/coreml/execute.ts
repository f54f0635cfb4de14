/**
 * A reference executor for Core ML NeuralNetwork models, in plain TypeScript, so models can be
 * checked where no Core ML runtime exists. Layers run in file order (Core ML requires every input
 * to be produced by an earlier layer), each by its kind's executor in registry.ts. Anything the
 * executor does not implement (a layer kind, a field, an enum value, a shape pattern) throws a
 * CoremlError naming the layer and the field; it never runs a model with something ignored.
 */
import { CoremlError } from '../../ir/errors.js';
import { LAYER_KINDS, type LayerKind, type Model, type NeuralNetworkLayer, type Tensor as TensorDescription } from '../../coreml/types.js';
import { inputTensor, type ModelInput } from './inputs.js';
import { isUnset, layerError, type LayerContext } from './layer-context.js';
import { LAYER_EXECUTORS, type LayerExecutor } from './registry.js';
import { BufferPool, type SpareBuffers } from '../buffers.js';
import type { Tensor } from './tensor.js';

import type { ExecutorOutput } from '../model-io.js';

export type { ExecutorOutput, ModelInput, RgbImage } from '../model-io.js';
export { decodeMlmodelStrict as decodeForExecution } from '../../coreml/schema.js';

/**
 * The arrays each decoded model's runs hand on to its next run: the first touch of a fresh
 * multi-megabyte array costs page faults that outweigh the arithmetic of most layers, and a model
 * is usually checked on several inputs. Kept per model object, so never shared between models,
 * and dropped with the model.
 */
const spareBuffers = new WeakMap<Model, SpareBuffers>();

/** Runs `model` on `inputs` (by input name) and returns every declared output by name. */
export function executeMlmodel(model: Model, inputs: Readonly<Record<string, ModelInput>>, file = 'model'): Record<string, ExecutorOutput> {
  refuseUnhandled(model, ['specificationVersion', 'description', 'neuralNetwork'], 'model', file);
  const nn = model.neuralNetwork;
  if (!nn) throw new CoremlError('model', 'is not a NeuralNetwork model (the only type the executor runs)', file);
  refuseUnhandled(nn, ['layers', 'preprocessing', 'arrayInputShapeMapping', 'imageInputShapeMapping'], 'neuralNetwork', file);
  const description = model.description ?? {};
  refuseUnhandled(description, ['input', 'output', 'metadata'], 'description', file);

  const blobs = new Map<string, Tensor>();
  let spare = spareBuffers.get(model);
  if (!spare) {
    spare = new Map();
    spareBuffers.set(model, spare);
  }
  const buffers = new BufferPool(spare);
  const inputNames = new Set<string>();
  for (const feature of description.input ?? []) {
    const name = feature.name ?? '';
    inputNames.add(name);
    const blob = inputTensor(feature, inputs[name], nn, file);
    buffers.pin(blob.data);
    blobs.set(name, blob);
  }
  for (const given of Object.keys(inputs)) {
    if (!inputNames.has(given)) throw new CoremlError(`input '${given}'`, 'is not an input of the model', file);
  }
  for (const entry of nn.preprocessing ?? []) {
    const feature = description.input?.find((f) => f.name === entry.featureName);
    if (!feature?.type?.imageType) throw new CoremlError(`preprocessing of '${entry.featureName ?? ''}'`, 'does not name an image input', file);
  }

  // After the last layer that reads a blob, its buffer can serve a later layer's output.
  const layers = nn.layers ?? [];
  const outputNames = new Set((description.output ?? []).map((f) => f.name ?? ''));
  const lastReader = new Map<string, number>();
  layers.forEach((layer, index) => (layer.input ?? []).forEach((name) => lastReader.set(name, index)));
  layers.forEach((layer, index) => {
    runLayer(layer, index, blobs, buffers, file);
    for (const name of new Set(layer.input ?? [])) {
      if (lastReader.get(name) === index && !outputNames.has(name)) buffers.release(blobs.get(name)!.data);
    }
  });

  const outputs: Record<string, ExecutorOutput> = {};
  for (const feature of description.output ?? []) {
    const name = feature.name ?? '';
    const blob = blobs.get(name);
    if (!blob) throw new CoremlError(`output '${name}'`, 'is not produced by any layer', file);
    const dataType = feature.type?.multiArrayType?.dataType;
    if (dataType !== 'FLOAT32' && dataType !== 'DOUBLE') {
      throw new CoremlError(`output '${name}' dataType`, `${String(dataType)} is not implemented (FLOAT32, DOUBLE)`, file);
    }
    outputs[name] = { shape: [...blob.shape], data: blob.data };
  }
  return outputs;
}

function runLayer(layer: NeuralNetworkLayer, index: number, blobs: Map<string, Tensor>, buffers: BufferPool, file: string): void {
  const kinds = LAYER_KINDS.filter((k) => layer[k] !== undefined);
  const name = layer.name ?? '';
  if (kinds.length !== 1) {
    const detail = kinds.length === 0 ? 'has no layer type the executor implements' : `sets ${kinds.length} layer types (${kinds.join(', ')})`;
    throw new CoremlError(`layer ${index} '${name}'`, detail, file);
  }
  const kind = kinds[0]!;
  const outputNames = layer.output ?? [];
  const ctx: LayerContext = { index, name, kind, outputCount: outputNames.length, buffers, file };
  refuseUnhandled(layer, ['name', 'input', 'output', 'inputTensor', 'outputTensor', 'isUpdatable', kind], `layer ${index} '${name}'`, file);
  if (layer.isUpdatable) throw layerError(ctx, 'isUpdatable', 'updatable layers are not implemented');

  const inputs = (layer.input ?? []).map((blobName) => {
    const blob = blobs.get(blobName);
    if (!blob) throw layerError(ctx, 'input', `'${blobName}' is not produced by an earlier layer or a model input`);
    return blob;
  });
  checkDeclaredShapes(ctx, 'inputTensor', layer.inputTensor, inputs);
  const run = LAYER_EXECUTORS[kind] as LayerExecutor<LayerKind>;
  const outputs = run(ctx, layer[kind]!, inputs);
  if (outputs.length !== outputNames.length) throw layerError(ctx, 'output', `the layer makes ${outputs.length} output(s), it lists ${outputNames.length}`);
  checkDeclaredShapes(ctx, 'outputTensor', layer.outputTensor, outputs);
  outputNames.forEach((blobName, i) => {
    if (blobs.has(blobName)) throw layerError(ctx, 'output', `'${blobName}' is already defined`);
    blobs.set(blobName, outputs[i]!);
    buffers.hold(outputs[i]!.data);
  });
}

/** Shapes a converter recorded on the layer must match what the executor computed (-1 = any dimension). */
function checkDeclaredShapes(ctx: LayerContext, field: string, declared: readonly TensorDescription[] | undefined, actual: readonly Tensor[]): void {
  if (!declared || declared.length === 0) return;
  if (declared.length !== actual.length) throw layerError(ctx, field, `describes ${declared.length} tensors, the layer has ${actual.length}`);
  declared.forEach((d, i) => {
    const shape = actual[i]!.shape;
    const dims = d.dimValue ?? [];
    const dimsFit = dims.length === 0 || (dims.length === shape.length && dims.every((v, axis) => v === -1 || v === shape[axis]));
    const fits = (d.rank ?? 0) === shape.length && dimsFit;
    if (!fits) throw layerError(ctx, `${field}[${i}]`, `declares rank ${d.rank ?? 0} [${dims.join(', ')}], the executor computed [${shape.join(', ')}]`);
  });
}

function refuseUnhandled(message: object, handled: readonly string[], where: string, file: string): void {
  for (const [key, value] of Object.entries(message)) {
    if (!isUnset(value) && !handled.includes(key)) {
      throw new CoremlError(`${where} field ${key}`, 'is set, but the reference executor does not implement it', file);
    }
  }
}
