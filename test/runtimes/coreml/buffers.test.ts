/**
 * The executor hands the buffers of finished blobs to later layers. These models are built so
 * that a buffer handed out too early would be written while it is still read: a reshape that
 * shares its input's data, a model output that later layers also read, and the caller's input.
 */
import { describe, expect, test } from 'vitest';
import { executeMlmodel } from '../../../src/runtimes/coreml/execute.js';
import { BufferPool } from '../../../src/runtimes/buffers.js';
import type { Model, NeuralNetworkLayer } from '../../../src/coreml/types.js';

function chain(layers: NeuralNetworkLayer[], outputs: string[]): Model {
  return {
    specificationVersion: 4,
    description: {
      input: [{ name: 'x', type: { multiArrayType: { shape: [1, 1, 2, 3], dataType: 'FLOAT32' } } }],
      output: outputs.map((name) => ({ name, type: { multiArrayType: { dataType: 'FLOAT32' } } })),
    },
    neuralNetwork: { arrayInputShapeMapping: 'EXACT_ARRAY_MAPPING', layers },
  };
}

const x = () => Float32Array.from([-1, 2, -3, 4, -5, 6]);
const relu = (input: string, output: string): NeuralNetworkLayer => ({ name: output, input: [input], output: [output], activation: { ReLU: {} } });
const times10 = (input: string, output: string): NeuralNetworkLayer => ({
  name: output,
  input: [input],
  output: [output],
  activation: { linear: { alpha: 10 } },
});
const swap = (input: string, output: string): NeuralNetworkLayer => ({ name: output, input: [input], output: [output], transpose: { axes: [0, 1, 3, 2] } });

// A buffer handed out while a blob still refers to it would show a later layer's values in that blob.
describe('buffer reuse across layers', () => {
  test('a reshape keeps the data it shares alive until its own last reader', () => {
    // a = relu(x); b = a reshaped to [1, 1, 3, 2] (the same data); c = 10 b; d = c transposed.
    const model = chain(
      [relu('x', 'a'), { name: 'b', input: ['a'], output: ['b'], reshapeStatic: { targetShape: [1, 1, 3, 2] } }, times10('b', 'c'), swap('c', 'd')],
      ['d'],
    );
    const out = executeMlmodel(model, { x: x() });
    expect(Array.from(out.d!.data)).toEqual([0, 0, 0, 20, 40, 60]);
  });

  test('a model output read by later layers, and the caller input, are never written over', () => {
    const input = x();
    const model = chain([relu('x', 'a'), times10('x', 'f'), swap('a', 'b'), times10('b', 'c'), times10('c', 'e')], ['a', 'e', 'f']);
    const out = executeMlmodel(model, { x: input });
    expect(Array.from(out.a!.data)).toEqual([0, 2, 0, 4, 0, 6]);
    expect(Array.from(out.e!.data)).toEqual([0, 400, 200, 0, 0, 600]);
    expect(Array.from(out.f!.data)).toEqual([-10, 20, -30, 40, -50, 60]);
    expect(Array.from(input)).toEqual([-1, 2, -3, 4, -5, 6]);
  });
});

describe('BufferPool', () => {
  test('frees a buffer when its last holder releases it, zero-filled when taken again', () => {
    const pool = new BufferPool();
    const data = pool.take(4);
    data.fill(7);
    pool.hold(data);
    pool.hold(data);
    pool.release(data);
    expect(pool.take(4)).not.toBe(data);
    pool.release(data);
    const again = pool.take(4);
    expect(again).toBe(data);
    expect(Array.from(again)).toEqual([0, 0, 0, 0]);
  });

  test('never hands out pinned data or a view on part of a buffer', () => {
    const pool = new BufferPool();
    const pinned = new Float32Array(3);
    pool.pin(pinned);
    pool.hold(pinned);
    pool.release(pinned);
    expect(pool.take(3)).not.toBe(pinned);
    const view = new Float32Array(8).subarray(0, 3);
    pool.hold(view);
    pool.release(view);
    expect(pool.take(3)).not.toBe(view);
  });
});
