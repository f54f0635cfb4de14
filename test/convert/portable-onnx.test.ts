import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx, type OnnxVariant } from '../../src/convert/convert-onnx.js';
import { availableModels } from '../support/models.js';

const onnx = (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;

/**
 * The opset-13 ops the emitter writes for the registry models, each one that ONNX Runtime (native
 * and WebAssembly), the ONNX checker and the common converters load. A new op appearing here is
 * a decision to make, not an accident.
 */
const PORTABLE_OPS = new Set([
  'Add',
  'Cast',
  'Clip',
  'Concat',
  'Conv',
  'DepthToSpace',
  'Gemm',
  'MatMul',
  'MaxPool',
  'Mul',
  'PRelu',
  'ReduceMean',
  'Relu',
  'Reshape',
  'Resize',
  'Sigmoid',
  'Slice',
  'Sub',
  'Transpose',
]);

describe.each(availableModels().map((m) => [m.id] as const))('ONNX of %s', (id) => {
  const ctx = loadModelContext(loadModelFile(id));
  const variants: OnnxVariant[] = ctx.detector
    ? [{}, { nchw: true }, { decode: true }, { decode: true, preprocess: true }]
    : [{}, { nchw: true }, { preprocess: true }];

  it.each(variants.map((v) => [JSON.stringify(v), v] as const))('%s writes only portable ops, clamps as Clip with scalar bounds', (_, variant) => {
    const model = onnx.ModelProto.decode(convertToOnnx(ctx, variant).bytes);
    const nodes = model.graph?.node ?? [];
    const ops = new Set(nodes.map((n) => n.opType ?? ''));
    expect([...ops].filter((op) => !PORTABLE_OPS.has(op))).toEqual([]);
    // The score clamp used to be Max/Min with 0-d constants, which some runtimes refuse.
    expect(ops.has('Max') || ops.has('Min')).toBe(false);
    const initializers = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
    const clips = nodes.filter((n) => n.opType === 'Clip');
    for (const clip of clips) {
      for (const bound of (clip.input ?? []).slice(1).filter((name) => name !== '')) expect(initializers.get(bound)?.dims ?? ['missing']).toEqual([]);
    }
    if (variant.decode) expect(clips.map((n) => n.input?.length)).toEqual(expect.arrayContaining([2, 3]));
  });
});
