import { describe, expect, it } from 'vitest';
import type { Graph, Value } from '../../src/ir/graph.js';
import { canonicalNames, sanitizeName, ssdOutputs } from '../../src/passes/rename-values.js';

function graph(outputs: Record<string, readonly number[]>): Graph {
  const values = new Map<string, Value>([['in:0', { id: 'in:0', dtype: 'float32', shape: [1, 8, 8, 3], layout: 'NHWC' }]]);
  for (const [id, shape] of Object.entries(outputs)) values.set(id, { id, dtype: 'float32', shape, layout: '?'.repeat(shape.length) });
  return { values, nodes: [], inputs: ['in:0'], outputs: Object.keys(outputs), meta: { file: 'g.tflite' } };
}

describe('sanitizeName', () => {
  it('keeps identifiers, folds other runs into one _, and guards a leading digit or an empty name', () => {
    expect(sanitizeName('Identity_1', 0)).toBe('Identity_1');
    expect(sanitizeName('model_1/model/conv_landmarks/BiasAdd;Mul:0', 0)).toBe('model_1_model_conv_landmarks_BiasAdd_Mul_0');
    expect(sanitizeName('9lives', 0)).toBe('_9lives');
    expect(sanitizeName('', 3)).toBe('output_3');
    expect(sanitizeName('///', 4)).toBe('output_4');
  });
});

describe('canonicalNames', () => {
  it("names an SSD detector's outputs by shape, whatever their order and TFLite names", () => {
    const g = graph({ Identity_1: [1, 2016, 1], Identity: [1, 2016, 18] });
    expect(ssdOutputs(g)).toEqual({ regressors: 'Identity', classificators: 'Identity_1' });
    expect([...canonicalNames(g)]).toEqual([
      ['in:0', 'input'],
      ['Identity', 'regressors'],
      ['Identity_1', 'classificators'],
    ]);
  });

  it('keeps every other output, in order, under its sanitized TFLite name, made unique and never an input name', () => {
    const g = graph({ 'a/b': [1, 63], 'a:b': [1, 1], image: [1, 1, 1, 5], '1x': [1, 2, 3, 4, 5] });
    expect([...canonicalNames(g)].slice(1)).toEqual([
      ['a/b', 'a_b'],
      ['a:b', 'a_b_2'],
      ['image', 'image_output'],
      ['1x', '_1x'],
    ]);
  });

  it('does not take two outputs of other shapes for a detector', () => {
    expect(ssdOutputs(graph({ a: [1, 10, 16], b: [1, 11, 1] }))).toBeUndefined();
    expect(ssdOutputs(graph({ a: [1, 10, 15], b: [1, 10, 1] }))).toBeUndefined();
    expect(ssdOutputs(graph({ a: [1, 10, 16], b: [1, 10, 1], c: [1, 1] }))).toBeUndefined();
  });
});
