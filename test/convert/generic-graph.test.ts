import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivationFunctionType } from '../../src/schema/tflite.js';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { convertToCoreml } from '../../src/convert/convert-coreml.js';
import { convertToWeights } from '../../src/convert/convert-weights.js';
import { readWeightsFolder, rebuiltRunner } from '../../src/check/rebuild-from-weights.js';
import { decodeForExecution, executeMlmodel } from '../../src/runtimes/coreml/execute.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { loadTfliteReference } from '../../src/runtimes/tflite/tflite-runtime.js';
import { compareArrays } from '../../src/check/compare.js';
import { writeFilesAtomically } from '../../src/io/write-files.js';
import { perm, permuteData } from '../../src/ir/layout.js';
import { TfliteModelBuilder, seededFloats } from '../support/one-op-model.js';
import { addConv, seeded32 } from '../ops/fixtures/layers.js';

/**
 * A graph that is no detector, with four outputs of awkward names and ranks (one a 4-D
 * convolution output, one named like the Core ML image input): every target keeps every
 * output, in order, with its TFLite shape, under the sanitized name, and computes what the
 * TFLite runtime computes.
 */
const dir = mkdtempSync(join(tmpdir(), 'blazeface-generic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(): Uint8Array {
  const m = new TfliteModelBuilder();
  const x = m.input('serving_default_input:0', [1, 9, 7, 3]);
  const features = addConv(m, x, { outChannels: 5, kernel: [3, 3], strides: [2, 2], activation: 'RELU', seed: 1, name: 'heads/features:0' });
  const pooled = m.op(
    'MEAN',
    [features, m.constant('axes', [2], { dtype: 'int32', data: [1, 2] })],
    { name: '9pool', shape: [1, 5] },
    { type: 'ReducerOptions', value: { keepDims: false } },
  );
  const fc = m.op(
    'FULLY_CONNECTED',
    [pooled, m.constant('w', [3, 5], seeded32(15, 2)), m.constant('b', [3], seeded32(3, 3))],
    { name: 'image', shape: [1, 3] },
    {
      type: 'FullyConnectedOptions',
      value: { fusedActivationFunction: ActivationFunctionType.NONE, keepNumDims: false },
    },
  );
  const flag = m.op('LOGISTIC', [fc], { name: 'Identity', shape: [1, 3] });
  for (const out of [features, pooled, fc, flag]) m.output(out);
  return m.finish('generic graph');
}

const NAMES = ['heads_features_0', '_9pool', 'image_output', 'Identity'];
const SHAPES = [
  [1, 5, 4, 5],
  [1, 5],
  [1, 3],
  [1, 3],
];

describe('a graph that is no detector', () => {
  const path = join(dir, 'generic.tflite');
  writeFileSync(path, model());
  const ctx = loadModelContext(loadModelFile(path));
  const input = seededFloats(9 * 7 * 3, 7);
  let expected: Map<string, Float32Array>;

  it('is read with its outputs named after the TFLite tensors, sanitized, in order', async () => {
    expect(ctx.detector).toBeUndefined();
    expect(ctx.graph.outputs).toEqual(NAMES);
    expect(ctx.graph.outputs.map((id) => ctx.graph.values.get(id)?.shape)).toEqual(SHAPES);
    const tflite = await loadTfliteReference(model(), { numThreads: 1 });
    try {
      const run = tflite.run(input).outputs;
      expected = new Map(['heads/features:0', '9pool', 'image', 'Identity'].map((name, i) => [NAMES[i]!, run.get(name)!.data]));
    } finally {
      tflite.dispose();
    }
  });

  it("converts to ONNX with every output, and ONNX Runtime computes TFLite's numbers", async () => {
    for (const variant of [{}, { nchw: true }] as const) {
      const runner = await loadOnnx(convertToOnnx(ctx, variant).bytes, { threads: 1 });
      try {
        const data = variant.nchw ? permuteData(input, [1, 9, 7, 3], perm('NHWC', 'NCHW')) : input;
        const out = await runner.run({ input: { shape: variant.nchw ? [1, 3, 9, 7] : [1, 9, 7, 3], data } });
        expect(Object.keys(out)).toEqual(NAMES);
        NAMES.forEach((name, i) => {
          expect(out[name]!.shape).toEqual(SHAPES[i]);
          expect(compareArrays(out[name]!.data, expected.get(name)!).maxError, name).toBeLessThanOrEqual(1e-5);
        });
      } finally {
        await runner.release();
      }
    }
  });

  it("converts to Core ML (raw input) with every output, and the executor computes TFLite's numbers", () => {
    const artifact = convertToCoreml(ctx, { raw: true });
    const mlmodel = decodeForExecution(artifact.bytes, artifact.fileName);
    expect(mlmodel.description?.output?.map((o) => [o.name, o.type?.multiArrayType?.shape])).toEqual(NAMES.map((n, i) => [n, SHAPES[i]]));
    const out = executeMlmodel(mlmodel, { input: permuteData(input, [1, 9, 7, 3], perm('NHWC', 'NCHW')) });
    for (const name of NAMES) expect(compareArrays(out[name]!.data, expected.get(name)!).maxError, name).toBeLessThanOrEqual(1e-5);
    expect(convertToCoreml(ctx).outputs).toEqual(Object.fromEntries(NAMES.map((n) => [n, n])));
  });

  it('converts to weight files that rebuild the network with every output', () => {
    const artifact = convertToWeights(ctx);
    writeFilesAtomically(
      dir,
      artifact.files.map((f) => ({ name: join(artifact.folder, f.name), bytes: f.bytes })),
    );
    const { manifest, graph } = readWeightsFolder(join(dir, artifact.folder));
    expect(manifest.outputs.map((o) => o.name)).toEqual(NAMES);
    const out = rebuiltRunner(graph)({ input: permuteData(input, [1, 9, 7, 3], perm('NHWC', 'NCHW')) });
    for (const name of NAMES) expect(compareArrays(out[name]!, expected.get(name)!).maxError, name).toBeLessThanOrEqual(1e-5);
  });

  it('refuses --decode, naming its outputs', () => {
    expect(() => convertToOnnx(ctx, { decode: true })).toThrow(/--decode needs an SSD detector .* outputs are heads_features_0 \[1,5,4,5\], _9pool \[1,5\]/);
  });
});
