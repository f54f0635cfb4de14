import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { SHARED_DIR } from '../../../scripts/dev-data.js';
import { sha256Hex } from '../../../src/io/sha256.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { convertToCoreml, SEED_OUTPUTS, type CoremlVariant } from '../../../src/convert/convert-coreml.js';
import { decodeMlmodel, findUnknownFields } from '../../../src/coreml/schema.js';
import { decodeForExecution, executeMlmodel } from '../../../src/runtimes/coreml/execute.js';
import { keypointNames } from '../../../src/models/keypoints.js';
import { CONVERTER_VERSION } from '../../../src/models/version.js';
import { availableModels } from '../../support/models.js';

const VARIANTS: readonly (readonly [string, CoremlVariant])[] = [
  ['default', {}],
  ['raw', { raw: true }],
  ['fp16', { fp16: true }],
  ['raw fp16', { raw: true, fp16: true }],
  ['seed-compatible', { seedCompatible: true }],
];
/** Models that are not SSD detectors have no decoded outputs to rename. */
const OTHER_VARIANTS = VARIANTS.filter(([, v]) => !v.seedCompatible);

const SEED = join(SHARED_DIR, 'reference', 'BlazeFaceScaled.mlmodel');

describe.each(availableModels().map((m) => [m.id, m] as const))('Core ML file of %s', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  const { width, height, range } = entry.input;
  const decoding = entry.decoding;

  describe.each(decoding ? VARIANTS : OTHER_VARIANTS)('%s', (_, variant) => {
    const artifact = convertToCoreml(ctx, variant);
    const model = decodeMlmodel(artifact.bytes, artifact.fileName);

    it('decodes against our schema with no unknown field', () => {
      expect(findUnknownFields(artifact.bytes, artifact.fileName)).toEqual([]);
      expect(model.specificationVersion).toBe(4);
      expect(model.neuralNetwork?.layers?.length).toBe(artifact.report.layers);
    });

    it('is byte-identical when converted again from a fresh read of the file', () => {
      const again = convertToCoreml(loadModelContext(loadModelFile(id)), variant);
      expect(sha256Hex(again.bytes)).toBe(sha256Hex(artifact.bytes));
    });

    it('carries the metadata', () => {
      const metadata = model.description?.metadata;
      expect(metadata?.license).toBe('Apache-2.0');
      expect(metadata?.versionString).toBe(CONVERTER_VERSION);
      expect(metadata?.author).toMatch(/MediaPipe/);
      expect(metadata?.shortDescription).toContain(entry.title);
      const user = metadata?.userDefined ?? {};
      expect(user.source_sha256).toBe(entry.sha256);
      expect(user.converter_version).toBe(CONVERTER_VERSION);
      expect(user.anchor_options === undefined ? undefined : JSON.parse(user.anchor_options)).toEqual(entry.anchors);
      expect(user.keypoints?.split(',')).toEqual(decoding ? [...keypointNames(decoding.num_keypoints, entry.keypoints).names] : undefined);
      expect(user.weights).toBe(variant.fp16 ? 'float16' : 'float32');
    });

    it('declares its inputs and outputs with their shapes', () => {
      const outputs = model.description?.output ?? [];
      if (decoding) {
        const [boxes, scores] = outputs;
        const names = variant.raw ? ['regressors', 'classificators'] : variant.seedCompatible ? [SEED_OUTPUTS.boxes, SEED_OUTPUTS.scores] : ['boxes', 'scores'];
        expect([boxes?.name, scores?.name]).toEqual(names);
        expect(boxes?.type).toEqual({ multiArrayType: { shape: [1, decoding.num_boxes, decoding.num_coords], dataType: 'FLOAT32' } });
        expect(scores?.type).toEqual({ multiArrayType: { shape: [1, decoding.num_boxes, 1], dataType: 'FLOAT32' } });
      } else {
        expect(outputs.map((o) => o.name)).toEqual(Object.keys(entry.outputs));
        expect(outputs.every((o) => (o.type?.multiArrayType?.shape?.length ?? 0) > 0)).toBe(true);
      }
      const inputs = model.description?.input ?? [];
      if (variant.raw) {
        expect(inputs.map((i) => [i.name, i.type])).toEqual([['input', { multiArrayType: { shape: [1, 3, height, width], dataType: 'FLOAT32' } }]]);
        expect(model.neuralNetwork?.preprocessing).toBeUndefined();
      } else {
        expect(inputs.map((i) => [i.name, i.type])).toEqual([['image', { imageType: { width, height, colorSpace: 'RGB' } }]]);
        expect(model.neuralNetwork?.preprocessing).toEqual([
          range[0] === 0
            ? { featureName: 'image', scaler: { channelScale: Math.fround(1 / 255) } }
            : { featureName: 'image', scaler: { channelScale: Math.fround(1 / 127.5), redBias: -1, greenBias: -1, blueBias: -1 } },
        ]);
        expect(model.neuralNetwork?.imageInputShapeMapping).toBe('RANK4_IMAGE_MAPPING');
      }
    });

    it('stores its weights in the precision asked for', () => {
      const weights = (model.neuralNetwork?.layers ?? []).flatMap((l) => [
        l.convolution?.weights,
        l.convolution?.bias,
        l.loadConstantND?.data,
        l.batchedMatmul?.weights,
        l.activation?.PReLU?.alpha,
      ]);
      const stored = weights.filter((w) => w !== undefined);
      expect(stored.length).toBeGreaterThan(0);
      expect(
        stored.every((w) =>
          variant.fp16 ? w.float16Value !== undefined && w.floatValue === undefined : w.floatValue !== undefined && w.float16Value === undefined,
        ),
      ).toBe(true);
    });
  });

  it('refuses --raw together with --seed-compatible', () => {
    expect(() => convertToCoreml(ctx, { raw: true, seedCompatible: true })).toThrow(/cannot be combined with --raw/);
  });
});

describe.each(
  availableModels()
    .filter((m) => m.input.width === 128 && m.decoding)
    .map((m) => [m.id] as const),
)('--seed-compatible Core ML of %s', (id) => {
  it("has the interface of the seed app's BlazeFaceScaled.mlmodel", () => {
    const seedBytes = new Uint8Array(readFileSync(SEED));
    const seed = decodeForExecution(seedBytes, SEED);
    const ours = decodeForExecution(convertToCoreml(loadModelContext(loadModelFile(id)), { seedCompatible: true }).bytes, id);
    expect(ours.specificationVersion).toBe(seed.specificationVersion);
    expect(ours.description?.input).toEqual(seed.description?.input?.map((i) => ({ ...i, shortDescription: expect.any(String) })));
    expect(ours.neuralNetwork?.preprocessing).toEqual(seed.neuralNetwork?.preprocessing);
    expect(ours.neuralNetwork?.imageInputShapeMapping).toBe(seed.neuralNetwork?.imageInputShapeMapping);
    const describeOutputs = (m: typeof seed) => m.description?.output?.map((o) => [o.name, o.type?.multiArrayType?.dataType]);
    expect(describeOutputs(ours)).toEqual(describeOutputs(seed));
    // The seed leaves its output shapes to the runtime; ours declares the shapes the seed computes.
    const image = { width: 128, height: 128, channels: 3 as const, data: new Uint8Array(128 * 128 * 3).fill(128) };
    const seedOut = executeMlmodel(seed, { image }, SEED);
    for (const output of ours.description?.output ?? []) {
      expect(output.type?.multiArrayType?.shape).toEqual(seedOut[output.name ?? '']?.shape);
    }
  });
});
