import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../src/schema/tflite.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { inferDetector } from '../../src/convert/resolve-detector.js';
import { detectorAnchorTable, registryDetector } from '../../src/models/detector.js';
import { loadModelFile } from '../../src/models/registry.js';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { availableDetectors, availableModels } from '../support/models.js';
import { readSharedImage, sharedImagesPresent } from '../detect/close-detections.js';

const dir = mkdtempSync(join(tmpdir(), 'blazeface-unknown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(availableDetectors().map((m) => [m.id, m] as const))('anchors inferred from the graph of %s', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  const inferred = inferDetector(ctx.graph)!;
  const registry = registryDetector(entry)!;

  it("give the registry's anchor table, bit for bit", () => {
    expect(inferred.origin).toEqual({ anchors: 'inferred from the graph', decoding: 'inferred from the graph' });
    expect(detectorAnchorTable(inferred)).toEqual(detectorAnchorTable(registry));
  });

  it("give the registry's decoding, but for the score threshold (MediaPipe's default 0.5 unless the registry says otherwise)", () => {
    expect({ ...inferred.decoding, min_score_thresh: registry.decoding.min_score_thresh }).toEqual(registry.decoding);
    expect(inferred.decoding.min_score_thresh).toBe(0.5);
    expect(inferred.keypoints).toEqual(registry.keypoints);
  });

  it('say why, one line per fact', () => {
    expect(inferred.reasons.length).toBeGreaterThanOrEqual(5);
    expect(inferred.reasons.join('\n')).toMatch(/fixed_anchor_size/);
  });
});

it.each(
  availableModels()
    .filter((m) => !m.decoding)
    .map((m) => m.id),
)('%s has no detector to infer', (id) => {
  const ctx = loadModelContext(loadModelFile(id));
  expect(inferDetector(ctx.graph)).toBeUndefined();
  expect(ctx.detector).toBeUndefined();
});

describe('a short_range file the registry does not know', () => {
  const original = loadModelFile('short_range');
  const appended = join(dir, 'appended.tflite');
  writeFileSync(appended, Buffer.concat([Buffer.from(original.bytes), Buffer.from([1, 2, 3, 4])]));
  // Decoded and encoded again by our schema: another layout of the same flatbuffer.
  const reserialized = join(dir, 'reserialized.tflite');
  writeFileSync(reserialized, encodeModel(decodeModel(original.bytes, original.path)));

  it.each([appended, reserialized])("%s is not matched by sha256 and has the registry twin's input, anchors and decoding", (path) => {
    const file = loadModelFile(path);
    expect(file.entry).toBeUndefined();
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(original.bytes))).toBe(false);
    const ctx = loadModelContext(file);
    const twin = loadModelContext(original);
    expect(ctx.input).toMatchObject({ width: 128, height: 128, range: [-1, 1] });
    expect(ctx.detector?.anchors && detectorAnchorTable(ctx.detector)).toEqual(detectorAnchorTable(twin.detector!));
    expect(ctx.detector?.decoding).toEqual(twin.detector?.decoding);
  });

  it.skipIf(!sharedImagesPresent).each([appended, reserialized])('%s detects exactly like short_range', async (path) => {
    const unknown = await createFaceDetector(path, { threads: 1, cacheDir: dir });
    const known = await createFaceDetector('short_range', { threads: 1, cacheDir: dir });
    try {
      for (const name of ['1face', '3faces', '4faces'] as const) {
        const image = await readSharedImage(name);
        const [a, b] = [await unknown.detect(image), await known.detect(image)];
        expect(a.detections.length, name).toBeGreaterThan(0);
        expect(a.detections).toEqual(b.detections);
      }
    } finally {
      await unknown.release();
      await known.release();
    }
  });
});

describe('option files', () => {
  it("--decoding lays its fields over the registry's; --anchors replaces them", () => {
    const file = loadModelFile('short_range');
    const ctx = loadModelContext(file, undefined, { overrides: { decoding: { json: { min_score_thresh: 0.8 }, where: 'd.json' } } });
    expect(ctx.detector?.decoding.min_score_thresh).toBe(0.8);
    expect(ctx.detector?.decoding.num_boxes).toBe(896);
    expect(ctx.detector?.origin).toEqual({ anchors: 'registry', decoding: 'options file' });
    const anchors = { ...ctx.detector!.anchors, anchor_offset_x: 0.25 };
    const moved = loadModelContext(file, undefined, { overrides: { anchors: { json: anchors, where: 'a.json' } } });
    expect(detectorAnchorTable(moved.detector!)[0]).toBe(0.25 / 16);
  });

  it('are refused with the file named when they are wrong', () => {
    const file = loadModelFile('short_range');
    const failure = (overrides: Parameters<typeof loadModelContext>[2]): unknown => {
      try {
        loadModelContext(file, undefined, overrides);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(failure({ overrides: { decoding: { json: { min_scor_thresh: 0.8 }, where: 'd.json' } } })).toMatchObject({
      file: 'd.json',
      message: expect.stringMatching(/^unknown decoding option min_scor_thresh/),
    });
    expect(failure({ overrides: { decoding: { json: { num_boxes: -1 }, where: 'd.json' } } })).toMatchObject({
      file: 'd.json',
      message: 'decoding option num_boxes: -1 is not a non-negative integer',
    });
    expect(failure({ overrides: { anchors: { json: { strides: [8] }, where: 'a.json' } } })).toMatchObject({
      message: expect.stringMatching(/^anchor option .*\(a\.json\)$/),
    });
  });
});
