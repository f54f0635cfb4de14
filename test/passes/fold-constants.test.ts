import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadGraph } from '../../src/convert/pipeline.js';
import { availableModels } from '../support/models.js';

/**
 * Where `actual` differs from `expected` (by Object.is, so -0 and NaN count, as toEqual does),
 * compared element by element: toEqual on arrays of a million numbers takes seconds.
 */
function differences(actual: Float32Array, expected: ArrayLike<number>): string[] {
  if (actual.length !== expected.length) return [`length ${actual.length}, expected ${expected.length}`];
  const found: string[] = [];
  for (let i = 0; i < actual.length && found.length < 5; i++) {
    if (!Object.is(actual[i], expected[i])) found.push(`[${i}]: ${actual[i]}, expected ${expected[i]}`);
  }
  return found;
}

/** Independent half decode: DataView bit fields, float64 arithmetic (not the converter's table). */
function decodeHalfBytes(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A plain loop: Array.from with a mapper was most of this file's time.
  const out = new Float64Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) {
    const h = view.getUint16(2 * i, true);
    const e = (h >> 10) & 31;
    const f = h & 1023;
    const s = h >> 15 ? -1 : 1;
    out[i] = e === 0 ? s * f * 2 ** -24 : e === 31 ? (f ? NaN : s * Infinity) : s * (1024 + f) * 2 ** (e - 25);
  }
  return out;
}

describe.each(availableModels().map((m) => [m.id] as const))('constant folding of %s', (id) => {
  const file = loadModelFile(id);
  const { source, graph, tflite } = loadGraph(file.bytes, file.path);

  it('leaves no DEQUANTIZE or DENSIFY and only float32 weights', () => {
    expect(graph.nodes.filter((n) => n.op === 'DEQUANTIZE' || n.op === 'DENSIFY')).toEqual([]);
    const constants = [...graph.values.values()].filter((v) => v.data);
    expect(constants.every((v) => v.dtype === 'float32' && !v.sparsity)).toBe(true);
  });

  it('folds each dense float16 constant to exactly its independently decoded values', () => {
    let checked = 0;
    for (const node of source.nodes) {
      if (node.op !== 'DEQUANTIZE') continue;
      const input = source.values.get(node.inputs[0]!)!;
      if (!input.data || input.sparsity || input.tfliteTensor === undefined) continue;
      const tensor = tflite.subgraph.tensors![input.tfliteTensor]!;
      const expected = decodeHalfBytes(tflite.buffers[tensor.buffer]!);
      const folded = graph.values.get(node.outputs[0]!)?.data as Float32Array;
      expect(differences(folded, expected)).toEqual([]);
      checked++;
    }
    if (id !== 'front') expect(checked).toBeGreaterThan(0);
  });
});

describe('sparse model', () => {
  const entry = availableModels().find((m) => m.id === 'full_range_sparse');
  it.runIf(entry)('has 46 sparse float16 constants whose densified weights keep the stored values and zeros elsewhere', () => {
    const file = loadModelFile('full_range_sparse');
    const { source, graph } = loadGraph(file.bytes, file.path);
    const sparse = [...source.values.values()].filter((v) => v.sparsity);
    expect(sparse).toHaveLength(46);
    for (const value of sparse) {
      const densify = source.nodes.find((n) => n.op === 'DENSIFY' && n.inputs[0] === value.id)!;
      const dequantize = source.nodes.find((n) => n.op === 'DEQUANTIZE' && n.inputs[0] === densify.outputs[0])!;
      const folded = graph.values.get(dequantize.outputs[0]!)!.data as Float32Array;
      const stored = decodeHalfBytes(
        new Uint8Array((value.data as Uint16Array).buffer, (value.data as Uint16Array).byteOffset, (value.data as Uint16Array).byteLength),
      );
      expect(folded.length).toBe(value.shape.reduce((a, b) => a * b, 1));
      expect(
        differences(
          folded.filter((x) => x !== 0),
          stored.filter((x) => x !== 0),
        ),
      ).toEqual([]);
    }
  });
});
