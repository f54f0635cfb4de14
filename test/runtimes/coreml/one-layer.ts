/**
 * Runs a single layer through the whole path a model takes: build the model object, encode it
 * with our schema (which refuses field names the .proto lacks), decode it, execute it. Inputs are
 * FLOAT32 multi-arrays with EXACT shape mapping.
 */
import { executeMlmodel, decodeForExecution, type ExecutorOutput } from '../../../src/runtimes/coreml/execute.js';
import { encodeMlmodel } from '../../../src/coreml/schema.js';
import type { Model, NeuralNetworkLayer } from '../../../src/coreml/types.js';

export interface TestTensor {
  shape: number[];
  data: number[];
}

export function oneLayerModel(layer: NeuralNetworkLayer, inputs: Record<string, TestTensor>, outputs: readonly string[]): Model {
  return {
    specificationVersion: 4,
    description: {
      input: Object.entries(inputs).map(([name, t]) => ({ name, type: { multiArrayType: { shape: t.shape, dataType: 'FLOAT32' } } })),
      output: outputs.map((name) => ({ name, type: { multiArrayType: { dataType: 'FLOAT32' } } })),
    },
    neuralNetwork: {
      arrayInputShapeMapping: 'EXACT_ARRAY_MAPPING',
      layers: [{ name: 'layer', input: Object.keys(inputs), output: [...outputs], ...layer }],
    },
  };
}

export function runOneLayer(layer: NeuralNetworkLayer, inputs: Record<string, TestTensor>, outputs: readonly string[] = ['y']): Record<string, ExecutorOutput> {
  const bytes = encodeMlmodel(oneLayerModel(layer, inputs, outputs));
  const model = decodeForExecution(bytes, 'one-layer');
  const values = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, Float32Array.from(t.data)]));
  return executeMlmodel(model, values, 'one-layer');
}

/** The single output `y` as a shape and a plain array. */
export function runY(layer: NeuralNetworkLayer, inputs: Record<string, TestTensor>): TestTensor {
  const y = runOneLayer(layer, inputs).y!;
  return { shape: y.shape, data: Array.from(y.data) };
}

/** 0, 1, 2, ... laid out in `shape`. */
export function iota(shape: number[], start = 0): TestTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: size }, (_, i) => start + i) };
}

/** Little-endian IEEE half floats from their bit patterns. */
export function halfBytes(bits: readonly number[]): Uint8Array {
  return Uint8Array.from(bits.flatMap((b) => [b & 0xff, b >> 8]));
}
