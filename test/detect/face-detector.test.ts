import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelAnchorTable } from '../../src/models/anchor-tables.js';
import { readGolden, goldenTensor } from '../../src/check/golden.js';
import { letterboxProjection, postprocess } from '../../src/detect/detect-faces.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { cacheEntryName } from '../../src/detect/onnx-cache.js';
import { InputError, RegistryError } from '../../src/ir/errors.js';
import { letterbox } from '../../src/image/letterbox.js';
import { getModel, loadModelFile } from '../../src/models/registry.js';
import { availableModels } from '../support/models.js';
import { TfliteModelBuilder } from '../support/one-op-model.js';
import { expectDetectionsClose, readSharedImage, sharedImagesPresent } from './close-detections.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blazeface-detector-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createFaceDetector refuses', () => {
  it('a model that is not an SSD detector, naming the file and its outputs', async () => {
    const file = join(dir, 'other.tflite');
    const m = new TfliteModelBuilder();
    m.output(m.op('RELU', [m.input('input', [1, 8, 8, 3])], { name: 'features', shape: [1, 8, 8, 3] }));
    writeFileSync(file, m.finish());
    const error = await createFaceDetector(file, { cacheDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ file, message: expect.stringMatching(/^detection needs an SSD detector .*outputs are features \[1,8,8,3\]/) });
  });

  it('an unknown model id', async () => {
    await expect(createFaceDetector('no_such_model', { cacheDir: dir })).rejects.toThrow(RegistryError);
  });

  it.each([-0.1, 1.5, Number.NaN])('a minimum score of %s', async (minScore) => {
    await expect(createFaceDetector('short_range', { minScore, cacheDir: dir })).rejects.toThrow(InputError);
  });
});

// short_range ships with npm, so it is on every machine that has the dependencies.
const shortRange = availableModels().some((m) => m.id === 'short_range');

describe.skipIf(!shortRange || !sharedImagesPresent)('createFaceDetector on short_range', () => {
  it('uses the registry threshold and weighted NMS unless told otherwise', async () => {
    const detector = await createFaceDetector('short_range', { cacheDir: dir });
    try {
      expect(detector.minScore).toBe(getModel('short_range').decoding?.min_score_thresh);
      expect(detector.nms).toBe('weighted');
      expect(detector.resize).toBe('mediapipe');
    } finally {
      await detector.release();
    }
  });

  it('applies minScore and nms, as postprocess of the golden outputs does with the same options', async () => {
    const entry = getModel('short_range');
    const image = await readSharedImage('3faces');
    const golden = readGolden('short_range', '3faces');
    const projection = letterboxProjection(letterbox(image, entry.input.width, entry.input.height).transform);
    const expectAt = (minScore: number) =>
      postprocess(
        goldenTensor(golden, 'regressors'),
        goldenTensor(golden, 'classificators'),
        modelAnchorTable(entry),
        { decoding: { ...entry.decoding!, min_score_thresh: minScore }, input: entry.input, nms: 'hard' },
        projection,
      );

    // 0.9 sits between the three faces' scores (0.91, 0.89, 0.88), so it keeps one of them.
    for (const minScore of [0.9, 0.3]) {
      const detector = await createFaceDetector('short_range', { minScore, nms: 'hard', threads: 1, cacheDir: dir, resize: 'bilinear' });
      try {
        const { detections, timings } = await detector.detect(image);
        expectDetectionsClose(detections, expectAt(minScore), 1e-4, `min score ${minScore}`);
        for (const ms of Object.values(timings)) expect(ms).toBeGreaterThanOrEqual(0);
      } finally {
        await detector.release();
      }
    }
    expect(expectAt(0.9)).toHaveLength(1);
    expect(expectAt(0.3)).toHaveLength(3);
  });

  it('sets up from a cache hit the detector a fresh conversion gives, and the same faces', async () => {
    const cacheDir = join(dir, 'hit');
    const image = await readSharedImage('3faces');
    const made = await createFaceDetector('short_range', { cacheDir, threads: 1 });
    const cached = await createFaceDetector('short_range', { cacheDir, threads: 1 });
    try {
      expect([made.onnx.hit, cached.onnx.hit]).toEqual([false, true]);
      expect(Buffer.from(cached.onnx.bytes).equals(made.onnx.bytes), 'cached ONNX bytes').toBe(true);
      expect({ detector: cached.detector, input: cached.input }).toEqual({ detector: made.detector, input: made.input });
      // What the model read into the IR says, which a hit no longer builds.
      const ctx = loadModelContext(loadModelFile('short_range'));
      expect({ detector: cached.detector, input: cached.input }).toEqual({ detector: ctx.detector, input: ctx.input });
      const faces = (await made.detect(image)).detections;
      expect(faces).toHaveLength(3);
      expect((await cached.detect(image)).detections).toEqual(faces);
    } finally {
      await made.release();
      await cached.release();
    }
  });

  it('rebuilds a corrupt cache entry instead of failing', async () => {
    const cacheDir = join(dir, 'corrupt');
    const warm = await createFaceDetector('short_range', { cacheDir });
    await warm.release();
    writeFileSync(join(cacheDir, cacheEntryName(loadModelFile('short_range'))), 'garbage');

    const detector = await createFaceDetector('short_range', { cacheDir });
    try {
      expect(detector.onnx.hit).toBe(false);
      expect((await detector.detect(await readSharedImage('1face'))).detections).toHaveLength(1);
    } finally {
      await detector.release();
    }
  });
});
