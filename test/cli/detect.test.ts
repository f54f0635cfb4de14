import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageResult } from '../../src/cli/detect.js';
import { annotate } from '../../src/detect/annotate.js';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { decodeImage } from '../../src/image/decode-image.js';
import { PACKAGE_ROOT } from '../../src/models/registry.js';
import { expectDetectionsClose, readSharedImage, SHARED_IMAGES, sharedImagesPresent } from '../detect/close-detections.js';
import { availableModels } from '../support/models.js';

/**
 * Runs the built CLI (`bin/blazeface.js` → dist/) in a child process, as a user would. The
 * build is made here only when dist/ is missing; after editing src/, `npm run build` first.
 */
const BIN = join(PACKAGE_ROOT, 'bin', 'blazeface.js');
const DIST_MAIN = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

let dir: string;
let cache: string;

beforeAll(() => {
  if (!existsSync(DIST_MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'blazeface-detect-cli-'));
  cache = join(dir, 'cache');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function blazeface(...args: string[]): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, 'detect', ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache },
  });
  return { status, stdout, stderr };
}

/** A folder with two PNGs, 4faces as a JPEG, and a file that is not an image. */
function imageFolder(): string {
  const images = join(dir, 'images');
  mkdirSync(images, { recursive: true });
  copyFileSync(join(SHARED_IMAGES, '3faces.png'), join(images, '3faces.png'));
  copyFileSync(join(SHARED_IMAGES, '1face.png'), join(images, '1face.png'));
  const four = readSharedImage('4faces');
  const rgba = new Uint8Array(four.width * four.height * 4);
  for (let p = 0; p < four.width * four.height; p++) rgba.set([...four.data.subarray(p * 3, p * 3 + 3), 255], p * 4);
  writeFileSync(join(images, '4faces.JPG'), jpeg.encode({ width: four.width, height: four.height, data: rgba }, 95).data);
  writeFileSync(join(images, 'notes.txt'), 'not an image');
  return images;
}

const hasModel = (id: string) => availableModels().some((m) => m.id === id);

describe.skipIf(!sharedImagesPresent || !hasModel('full_range'))('blazeface detect', () => {
  it('prints the faces of one image with box, score and timings, and no progress', () => {
    const run = blazeface('--model', 'full_range', join(SHARED_IMAGES, '3faces.png'));
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^${escape(join(SHARED_IMAGES, '3faces.png'))} \\(128x128\\): 3 faces  decode [\\d.]+ ms, letterbox [\\d.]+ ms, inference [\\d.]+ ms, postprocess [\\d.]+ ms$`),
    );
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}score 0\.\d{4} {2}box x [\d.]+ y [\d.]+ w [\d.]+ h [\d.]+ px$/);
    expect(run.stderr).toMatch(/^full_range: (converted to ONNX in \d+ ms, cached at|ONNX from cache) .*blazeface-convert/);
    expect(run.stderr).not.toMatch(/\[1\/1\]/);
  });

  it('expands a folder, reports progress, prints JSON and writes annotated PNGs named after the inputs', async () => {
    const images = imageFolder();
    const out = join(dir, 'annotated');
    const run = blazeface('--model', 'full_range', images, '--json', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const files = ['1face.png', '3faces.png', '4faces.JPG'].map((f) => join(images, f));
    expect(run.stderr).toContain(files.map((f, i) => `[${i + 1}/3] ${f}\n`).join(''));

    const results = JSON.parse(run.stdout) as ImageResult[];
    expect(results.map((r) => r.file)).toEqual(files);
    expect(results.map((r) => r.annotated)).toEqual(['1face', '3faces', '4faces'].map((n) => join(out, `${n}.png`)));
    expect(readdirSync(out).sort()).toEqual(['1face.png', '3faces.png', '4faces.png']);

    const detector = await createFaceDetector('full_range', { cacheDir: join(dir, 'library-cache') });
    try {
      for (const result of results) {
        const image = decodeImage(new Uint8Array(readFileSync(result.file)), result.file);
        expect(result).toMatchObject({ model: 'full_range', width: 128, height: 128 });
        expect(Object.keys(result.timings).sort()).toEqual(['decodeMs', 'inferenceMs', 'letterboxMs', 'postprocessMs']);
        expectDetectionsClose(result.detections, (await detector.detect(image)).detections, 1e-4, result.file);
        const written = decodeImage(new Uint8Array(readFileSync(result.annotated!)), result.annotated!);
        expect(Buffer.from(written.data).equals(Buffer.from(annotate(image, result.detections).data)), `${result.annotated} pixels`).toBe(true);
      }
    } finally {
      await detector.release();
    }
    expect(results.map((r) => r.detections.length)).toEqual([1, 3, 4]);
  });

  it('writes a single image to the .png file given with --out', () => {
    const out = join(dir, 'single', 'face.png');
    const run = blazeface('--model', 'full_range', join(SHARED_IMAGES, '1face.png'), '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`  annotated: ${out}\n`);
    expect(decodeImage(new Uint8Array(readFileSync(out)), out)).toMatchObject({ width: 128, height: 128 });
  });

  it('passes --min-score and --nms to the detector', () => {
    const image = join(SHARED_IMAGES, '4faces.png');
    const all = JSON.parse(blazeface('--model', 'full_range', image, '--json', '--min-score', '0.3', '--nms', 'hard').stdout) as ImageResult[];
    const strict = JSON.parse(blazeface('--model', 'full_range', image, '--json', '--min-score', '0.85').stdout) as ImageResult[];
    expect(all[0]!.detections.length).toBeGreaterThanOrEqual(4);
    // full_range scores the four faces 0.90, 0.90, 0.82 and 0.80.
    expect(strict[0]!.detections.map((d) => d.score.toFixed(2))).toEqual(['0.90', '0.90']);
  });
});

describe.skipIf(!sharedImagesPresent || !hasModel('short_range'))('blazeface detect refuses', () => {
  const one = () => join(SHARED_IMAGES, '1face.png');

  it('a model the registry does not know, with exit code 2 and the file named', () => {
    const model = join(dir, 'unknown.tflite');
    writeFileSync(model, 'not a registry model');
    const run = blazeface('--model', model, one());
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: ${escape(model)}: face detection needs the model's anchor and decoding options`));
  });

  it('a missing image or an empty folder', () => {
    const missing = join(dir, 'nope.png');
    expect(blazeface('--model', 'short_range', missing)).toMatchObject({ status: 2, stderr: `error: ${missing}: no such file or folder\n` });
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(blazeface('--model', 'short_range', empty)).toMatchObject({ status: 2, stderr: `error: ${empty}: folder holds no .png/.jpg/.jpeg files\n` });
  });

  it('a file that is not an image', () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'hello');
    const run = blazeface('--model', 'short_range', bad);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`error: ${escape(bad)}: not a PNG or JPEG file`));
  });

  it('a .png --out for several images, before writing anything', () => {
    const out = join(dir, 'many.png');
    const run = blazeface('--model', 'short_range', one(), join(SHARED_IMAGES, '3faces.png'), '--out', out);
    expect(run).toMatchObject({ status: 2, stderr: `error: ${out}: a .png file takes one image, got 2: pass a folder\n` });
    expect(existsSync(out)).toBe(false);
  });

  it('an --out that would overwrite an input or collide', () => {
    const images = imageFolder();
    copyFileSync(join(images, '1face.png'), join(images, '1face.jpg'));
    const clash = blazeface('--model', 'short_range', images, '--out', join(dir, 'clash'));
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain(`both ${join(images, '1face.jpg')} and ${join(images, '1face.png')} would be annotated to this file`);
    rmSync(join(images, '1face.jpg'));
    const over = blazeface('--model', 'short_range', images, '--out', images);
    expect(over.status).toBe(2);
    expect(over.stderr).toContain('the annotated image would overwrite the input');
  });

  it('a --min-score outside [0, 1] or an unknown --nms', () => {
    const score = blazeface('--model', 'short_range', one(), '--min-score', '1.5');
    expect(score.status).not.toBe(0);
    expect(score.stderr).toContain("error: option '--min-score <x>' argument '1.5' is invalid. expected a number from 0 to 1, got \"1.5\"");
    const nms = blazeface('--model', 'short_range', one(), '--nms', 'soft');
    expect(nms.status).not.toBe(0);
    expect(nms.stderr).toContain("argument 'soft' is invalid. Allowed choices are weighted, weighted-mean-score, hard.");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
