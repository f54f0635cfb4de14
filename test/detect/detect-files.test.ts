/**
 * The folder run of `detect`: images decode ahead while the current one is detected, and the
 * outcomes must be what one-at-a-time detection gives, in the order of the files, with a
 * broken file reported in its place and the others detected.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFiles, type FileOutcome } from '../../src/detect/detect-files.js';
import { createFaceDetector, type FaceDetector } from '../../src/detect/face-detector.js';
import { InputError } from '../../src/ir/errors.js';
import type { OrientedImage } from '../../src/image/orientation.js';
import { type DecodedOrientedImage, readImage, readOrientedImage } from '../../src/image/read-image.js';
import type { RgbImage } from '../../src/image/rgb-image.js';
import { availableModels } from '../support/models.js';
import { SHARED_IMAGES, sharedImagesPresent } from './close-detections.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blazeface-detect-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(outcomes: AsyncIterable<FileOutcome>): Promise<FileOutcome[]> {
  const all: FileOutcome[] = [];
  for await (const o of outcomes) all.push(o);
  return all;
}

/** What a run reports, without the timings (which differ from run to run). */
/**
 * An error up to libvips' detail. libvips keeps one error buffer for the process, and lines an
 * earlier decode left there come out with the next failure: in a whole-suite run the one-by-one
 * decode of c-broken.jpg also reported "Bogus Huffman table definition", which no decode of this
 * test makes. The detail therefore depends on what else the worker ran.
 */
function ourPart(message: string): string {
  return message.replace(/(cannot (read|decode) the \w+ (header|image)): .*$/s, '$1');
}

function summary(outcomes: readonly FileOutcome[]): unknown[] {
  return outcomes.map((o) =>
    o.ok
      ? { index: o.index, file: o.file, orientation: o.image.orientation, size: [o.image.width, o.image.height], detections: o.result.detections }
      : { index: o.index, file: o.file, error: ourPart(o.error.describe()) },
  );
}

const shortRange = availableModels().some((m) => m.id === 'short_range');

describe.skipIf(!shortRange || !sharedImagesPresent)('detectFiles on short_range', () => {
  let detector: FaceDetector;
  let files: string[];
  beforeAll(async () => {
    detector = await createFaceDetector('short_range', { cacheDir: join(dir, 'cache'), threads: 1 });
    const at = (name: string): string => join(dir, name);
    copyFileSync(join(SHARED_IMAGES, '1face.png'), at('a-1face.png'));
    await sharp(join(SHARED_IMAGES, '3faces.png')).resize(384, 384).jpeg({ quality: 92 }).toFile(at('b-3faces.jpg'));
    writeFileSync(at('c-broken.jpg'), readFileSync(at('b-3faces.jpg')).subarray(0, 300));
    // 4faces stored turned a quarter, with the orientation that shows it upright.
    await sharp(join(SHARED_IMAGES, '4faces.png'))
      .resize(320, 240)
      .rotate(270)
      .jpeg({ quality: 92 })
      .withMetadata({ orientation: 6 })
      .toFile(at('d-sideways.jpg'));
    writeFileSync(at('e-notes.png'), 'not an image');
    copyFileSync(join(SHARED_IMAGES, '3faces.png'), at('f-3faces.png'));
    files = ['a-1face.png', 'b-3faces.jpg', 'c-broken.jpg', 'd-sideways.jpg', 'e-notes.png', 'f-3faces.png'].map(at);
  });
  afterAll(() => detector?.release());

  it('gives, in file order, what detecting one file at a time gives; broken files in their place, the rest detected', async () => {
    const pipelined = await collect(detectFiles(detector, files));
    const oneByOne: FileOutcome[] = [];
    for (const [index, file] of files.entries()) {
      try {
        const image = await readOrientedImage(readFileSync(file), file);
        oneByOne.push({ ok: true, index, file, image, decodeMs: 0, result: await detector.detect(image) });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        oneByOne.push({ ok: false, index, file, error });
      }
    }
    expect(summary(pipelined)).toEqual(summary(oneByOne));
    expect(summary(await collect(detectFiles(detector, files, { ahead: 0 })))).toEqual(summary(oneByOne));
    expect(summary(await collect(detectFiles(detector, files, { ahead: 5 })))).toEqual(summary(oneByOne));
    expect(pipelined.map((o) => [o.file, o.ok])).toEqual(files.map((f, i) => [f, i !== 2 && i !== 4]));
    expect(pipelined.filter((o) => o.ok).map((o) => (o.ok ? o.result.detections.length : 0))).toEqual([1, 3, 1, 3]);
    const errors = pipelined.flatMap((o) => (o.ok ? [] : [o.error.describe()]));
    expect(errors[0]).toMatch(/c-broken\.jpg: cannot (read|decode) the JPEG (header|image)/);
    expect(errors[1]).toMatch(/e-notes\.png: not an image/);
  });

  it('detects a photo stored sideways as libvips shows it upright, to the last bit', async () => {
    const sideways = files[3]!;
    const [outcome] = await collect(detectFiles(detector, [sideways]));
    expect(outcome?.ok && outcome.image.orientation).toBe(6);
    const upright = await readImage(readFileSync(sideways), sideways);
    expect(outcome?.ok && outcome.result.detections).toEqual((await detector.detect(upright)).detections);
    expect(outcome?.ok && [outcome.image.width, outcome.image.height]).toEqual([240, 320]);
  });
});

describe('detectFiles, with decoding replaced', () => {
  const files = Array.from({ length: 9 }, (_, i) => `file-${i}`);
  /** Each decoded image is a new object; this says which file it came from. */
  const names = new Map<object, string>();
  const decoded = (file: string): DecodedOrientedImage => {
    const image: DecodedOrientedImage = { stored: { width: 1, height: 1, data: new Uint8Array(3) }, orientation: 1, format: 'png', width: 1, height: 1 };
    names.set(image, file);
    return image;
  };
  const none = { detections: [], timings: { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 } };
  /** A detector that records which file each call was for, and fails on `failing`. */
  const recorder = (calls: string[], failing?: string) => ({
    detect: async (image: RgbImage | OrientedImage) => {
      const name = names.get(image) ?? '?';
      calls.push(name);
      if (name === failing) throw new InputError('the model refused it', name);
      return none;
    },
  });

  it('keeps at most `ahead` + 1 decodes in flight, and yields in file order when decodes finish out of order', async () => {
    let inFlight = 0;
    let most = 0;
    const decode = async (file: string): Promise<DecodedOrientedImage> => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Later files finish sooner.
      await new Promise((resolve) => setTimeout(resolve, 40 - 4 * Number(file.slice(5))));
      inFlight--;
      return decoded(file);
    };
    const calls: string[] = [];
    const outcomes = await collect(detectFiles(recorder(calls), files, { ahead: 2, decode }));
    expect(outcomes.map((o) => o.file)).toEqual(files);
    expect(calls).toEqual(files);
    expect(most).toBe(3);
  });

  it('goes on past a file whose decoding fails, and past one whose detection fails', async () => {
    const decode = async (file: string): Promise<DecodedOrientedImage> => {
      if (file === 'file-3') throw new InputError('cannot decode the JPEG image: premature end', file);
      return decoded(file);
    };
    const calls: string[] = [];
    const outcomes = await collect(detectFiles(recorder(calls, 'file-6'), files, { decode }));
    expect(outcomes.map((o) => (o.ok ? o.file : `${o.file} failed: ${o.error.describe()}`))).toEqual(
      files.map((f) =>
        f === 'file-3'
          ? 'file-3 failed: file-3: cannot decode the JPEG image: premature end'
          : f === 'file-6'
            ? 'file-6 failed: file-6: the model refused it'
            : f,
      ),
    );
    expect(calls).toEqual(files.filter((f) => f !== 'file-3'));
  });

  it('stops at an error that is not a BlazefaceError (a bug), and refuses a bad `ahead`', async () => {
    const decode = async (file: string): Promise<DecodedOrientedImage> => {
      if (file === 'file-1') throw new TypeError('a bug');
      return decoded(file);
    };
    await expect(collect(detectFiles(recorder([]), files, { decode }))).rejects.toThrow(TypeError);
    await expect(collect(detectFiles(recorder([]), files, { ahead: -1 }))).rejects.toThrow(/decode ahead: -1/);
    await expect(collect(detectFiles(recorder([]), files, { ahead: 1.5 }))).rejects.toThrow(InputError);
  });
});
