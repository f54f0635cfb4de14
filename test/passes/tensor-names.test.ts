import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, type ModelInit } from '../../src/schema/tflite.js';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext, type ModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx, type OnnxVariant } from '../../src/convert/convert-onnx.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { bitDifferences } from '../support/bits.js';
import { seededFloats } from '../support/one-op-model.js';

/**
 * Tensor names are the file's to choose: any renaming, including names the passes derive ids
 * from (`x__nchw`, `x__c32`, `x__pre_relu`), names the targets use (`input`, `regressors`,
 * `boxes`, `image`), duplicates and empty names, must convert to a model that computes exactly
 * what the original does.
 */

/** mulberry32: the same renaming on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESERVED = ['input', 'regressors', 'classificators', 'boxes', 'scores', 'image', 'image_float', 'decode_scaled', 'score_clipped', 'tensor_3', ''];
const SUFFIXES = ['__nchw', '__nhwc', '__c32', '__c48', '__pre_relu', '__32x24x1x1', '__3', '__top', '_1'];

/** The file with each tensor's name replaced by `name(old name, every old name)`. */
function withNames(bytes: Uint8Array, name: (old: string, names: readonly string[]) => string): Uint8Array {
  const model = decodeModel(bytes, 'model');
  const init: ModelInit = {
    ...model,
    subgraphs: model.subgraphs?.map((subgraph) => {
      const names = (subgraph.tensors ?? []).map((t) => t.name ?? '');
      return { ...subgraph, tensors: subgraph.tensors?.map((tensor) => ({ ...tensor, name: name(tensor.name ?? '', names) })) };
    }),
  };
  return encodeModel(init);
}

function renamed(bytes: Uint8Array, seed: number): Uint8Array {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return withNames(bytes, (old, names) => {
    const roll = next();
    return roll < 0.3 ? pick(names) : roll < 0.6 ? `${pick(names)}${pick(SUFFIXES)}` : roll < 0.8 ? pick(RESERVED) : old;
  });
}

type Feed = Parameters<Awaited<ReturnType<typeof loadOnnx>>['run']>[0];

async function outputsOf(bytes: Uint8Array, feed: Feed): Promise<Record<string, { readonly data: Float32Array }>> {
  const runner = await loadOnnx(bytes, { threads: 1 });
  try {
    return await runner.run(feed);
  } finally {
    await runner.release();
  }
}

const VARIANTS: readonly OnnxVariant[] = [{}, { decode: true, preprocess: true }];

describe.each(['front', 'short_range', 'full_range_sparse'])('renaming every tensor of %s', (id) => {
  const original = loadModelFile(id);
  // The original's ONNX is the same for every seed (test/convert/determinism.test.ts): converted once, on first use.
  let originalOnnx: { readonly ctx: ModelContext; readonly bytes: readonly Uint8Array[] } | undefined;
  const converted = (): { readonly ctx: ModelContext; readonly bytes: readonly Uint8Array[] } => {
    if (originalOnnx === undefined) {
      const ctx = loadModelContext(original);
      originalOnnx = { ctx, bytes: VARIANTS.map((variant) => convertToOnnx(ctx, variant).bytes) };
    }
    return originalOnnx;
  };

  it.each([1, 2, 3])('with seed %i converts to ONNX that computes the same, bit for bit', async (seed) => {
    const bytes = renamed(original.bytes, seed * 7919);
    const twin = { ...original, bytes, path: `${id}-renamed-${seed}.tflite` };
    const [a, b] = [converted(), loadModelContext(twin)];
    const shape = a.ctx.graph.values.get('input')?.shape ?? [];
    const count = shape.reduce((x, y) => x * y, 1);
    for (const [i, variant] of VARIANTS.entries()) {
      const feed: Feed = variant.preprocess
        ? { image: { shape, data: Uint8Array.from(seededFloats(count, seed), (v) => Math.floor((v + 1) * 127.5)) } }
        : { input: { shape, data: seededFloats(count, seed) } };
      const [want, got] = [await outputsOf(a.bytes[i] as Uint8Array, feed), await outputsOf(convertToOnnx(b, variant).bytes, feed)];
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [name, tensor] of Object.entries(want)) expect(bitDifferences(tensor.data, got[name]?.data), `${name} ${JSON.stringify(variant)}`).toEqual([]);
    }
  });
});

describe('a bias named like the channel-aligned copy of another (front)', () => {
  it('stays a different tensor', async () => {
    // conv2d/Bias [24] is widened to 32 channels; its copy was once named conv2d/Bias__32 whatever the file held.
    const original = loadModelFile('front');
    const bytes = withNames(original.bytes, (old) => (old === 'conv2d_3/Bias' ? 'conv2d/Bias__32' : old));
    const [a, b] = [loadModelContext(original), loadModelContext({ ...original, bytes, path: 'front-renamed.tflite' })];
    const feed = { input: { shape: [1, 128, 128, 3], data: seededFloats(128 * 128 * 3, 5) } };
    const [want, got] = [await outputsOf(convertToOnnx(a).bytes, feed), await outputsOf(convertToOnnx(b).bytes, feed)];
    expect(bitDifferences(want.regressors!.data, got.regressors?.data)).toEqual([]);
    expect(bitDifferences(want.classificators!.data, got.classificators?.data)).toEqual([]);
  });
});
