import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageResult } from '../../src/cli/detect.js';
import type { Detection } from '../../src/detect/detection.js';
import { annotationMetrics } from '../../src/detect/annotate.js';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { readImage } from '../../src/image/read-image.js';
import { PACKAGE_ROOT } from '../../src/models/registry.js';
import { expectDetectionsClose, SHARED_IMAGES, sharedImagesPresent } from '../detect/close-detections.js';
import { availableModels } from '../support/models.js';
import { runCliInProcess, type CliResult } from '../support/cli.js';

/**
 * The first test runs the built CLI (`bin/blazeface.js` → dist/) in a child process, as a user
 * would; the build is made here only when dist/ is missing (after editing src/, `npm run build`
 * first). The others call the same program in this process (runCliInProcess), which spares each
 * run the start of a Node process and the loading of sharp and ONNX Runtime.
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

function detect(...args: string[]): Promise<CliResult> {
  return runCliInProcess(['detect', ...args], { XDG_CACHE_HOME: cache });
}

/** A folder with two PNGs, 4faces as a JPEG, and a file that is not an image. */
async function imageFolder(): Promise<string> {
  const images = join(dir, 'images');
  mkdirSync(images, { recursive: true });
  copyFileSync(join(SHARED_IMAGES, '3faces.png'), join(images, '3faces.png'));
  copyFileSync(join(SHARED_IMAGES, '1face.png'), join(images, '1face.png'));
  await sharp(join(SHARED_IMAGES, '4faces.png')).jpeg({ quality: 95 }).toFile(join(images, '4faces.JPG'));
  writeFileSync(join(images, 'notes.txt'), 'not an image');
  return images;
}

const read = (file: string) => readImage(readFileSync(file), file);

const hasModel = (id: string) => availableModels().some((m) => m.id === id);

describe.skipIf(!sharedImagesPresent || !hasModel('full_range'))('blazeface detect', () => {
  it('prints the faces of one image with box, score, keypoints and timings, and no progress; full_range by default', () => {
    const run = blazeface(join(SHARED_IMAGES, '3faces.png'));
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^${escapeRegExp(join(SHARED_IMAGES, '3faces.png'))} \\(128x128\\): 3 faces  decode [\\d.]+ ms, preprocess [\\d.]+ ms, inference [\\d.]+ ms, postprocess [\\d.]+ ms$`,
      ),
    );
    expect(lines).toHaveLength(7);
    lines.slice(1).forEach((line, i) => {
      if (i % 2 === 0) expect(line).toMatch(new RegExp(`^ {2}${i / 2 + 1}: score 0\\.\\d{4} {2}box x [\\d.]+ y [\\d.]+ w [\\d.]+ h [\\d.]+ px$`));
      else
        expect(line).toMatch(
          /^ {5}right_eye [\d.]+,[\d.]+ {2}left_eye [\d.]+,[\d.]+ {2}nose_tip [\d.]+,[\d.]+ {2}mouth_center [\d.]+,[\d.]+ {2}right_ear_tragion [\d.]+,[\d.]+ {2}left_ear_tragion [\d.]+,[\d.]+$/,
        );
    });
    expect(run.stderr).toMatch(/^full_range: (converted to ONNX in \d+ ms, cached at|ONNX from cache) .*blazeface-convert/);
    expect(run.stderr).not.toMatch(/\[1\/1\]/);
  });

  it('expands a folder, reports progress, prints JSON and writes annotated PNGs named after the inputs', async () => {
    const images = await imageFolder();
    const out = join(dir, 'annotated');
    const run = await detect('--model', 'full_range', images, '--json', '--out', out);
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
        const image = await read(result.file);
        expect(result).toMatchObject({ model: 'full_range', width: 128, height: 128, orientation: 1, resize: 'mediapipe' });
        expect(Object.keys(result.timings).sort()).toEqual(['decodeMs', 'inferenceMs', 'postprocessMs', 'preprocessMs']);
        expectDetectionsClose(result.detections, (await detector.detect(image)).detections, 1e-4, result.file);
        // The picture under the overlay is the input, enlarged 4x, untouched where nothing is drawn (a corner).
        const written = await read(result.annotated!);
        expect([written.width, written.height]).toEqual([512, 512 + annotationMetrics(512, 512).legendHeight]);
        expect(Array.from(written.data.subarray(0, 3)), `${result.annotated} corner`).toEqual(Array.from(image.data.subarray(0, 3)));
      }
    } finally {
      await detector.release();
    }
    expect(results.map((r) => r.format)).toEqual(['png', 'png', 'jpeg']);
    expect(results.map((r) => r.detections.length)).toEqual([1, 3, 4]);
  });

  it('writes a single image to the .png or .jpg file given with --out', async () => {
    const out = join(dir, 'single', 'face.png');
    const run = await detect('--model', 'full_range', join(SHARED_IMAGES, '1face.png'), '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`  annotated: ${out}\n`);
    expect(await read(out)).toMatchObject({ width: 512, format: 'png' });
    const jpg = join(dir, 'single', 'face.jpg');
    expect((await detect(join(SHARED_IMAGES, '1face.png'), '--out', jpg)).status).toBe(0);
    expect(await read(jpg)).toMatchObject({ width: 512, format: 'jpeg' });
  });

  it('passes --min-score and --nms to the detector', async () => {
    const image = join(SHARED_IMAGES, '4faces.png');
    const all = JSON.parse((await detect('--model', 'full_range', image, '--json', '--min-score', '0.3', '--nms', 'hard')).stdout) as ImageResult[];
    const strict = JSON.parse((await detect('--model', 'full_range', image, '--json', '--min-score', '0.85')).stdout) as ImageResult[];
    expect(all[0]!.detections.length).toBeGreaterThanOrEqual(4);
    // full_range on MediaPipe's tensor scores the four faces 0.898, 0.869, 0.814 and 0.781.
    expect(strict[0]!.detections.map((d) => d.score.toFixed(2))).toEqual(['0.90', '0.87']);
  });
});

const PEOPLE = join(SHARED_IMAGES, 'people');

describe.skipIf(!sharedImagesPresent || !hasModel('full_range'))('blazeface detect on photos', () => {
  it('finds the face of a portrait stored sideways with an EXIF orientation, in the upright frame', async () => {
    const upright = join(PEOPLE, 'four-384x834.jpg');
    const sideways = join(dir, 'sideways.jpg');
    // Stored turned a quarter to the left, tagged "rotate 90 clockwise to display", as phones do.
    await sharp(upright).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(sideways);
    expect((await sharp(sideways).metadata()).width).toBe(834);

    const [tagged] = JSON.parse((await detect(sideways, '--json')).stdout) as ImageResult[];
    const [plain] = JSON.parse((await detect(upright, '--json')).stdout) as ImageResult[];
    expect(tagged).toMatchObject({ width: 384, height: 834, orientation: 6, format: 'jpeg' });
    expect(plain!.detections).toHaveLength(1);
    expect(tagged!.detections).toHaveLength(1);
    // Re-encoding moves pixels a little, so the face moves by at most a pixel or two.
    const [a, b] = [tagged!.detections[0]!, plain!.detections[0]!];
    expect(Math.abs(a.boxPixels.x - b.boxPixels.x)).toBeLessThan(3);
    expect(Math.abs(a.boxPixels.y - b.boxPixels.y)).toBeLessThan(3);
    expect(Math.abs(a.boxPixels.width - b.boxPixels.width)).toBeLessThan(3);
    const eye = (d: Detection, name: string) => d.keypoints.find((k) => k.name === name)!;
    expect(eye(a, 'right_eye').xPixels).toBeLessThan(eye(a, 'left_eye').xPixels);
  });

  it('goes on past broken images in a folder: one line each on stderr, valid JSON, exit 2', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(PEOPLE, 'call-512x384.jpg'), join(folder, 'a-call.jpg'));
    const whole = readFileSync(join(PEOPLE, 'four-384x834.jpg'));
    writeFileSync(join(folder, 'b-truncated.jpg'), whole.subarray(0, whole.length >> 1));
    // A PNG header declaring 100000 x 100000 pixels and nothing else.
    const bomb = Buffer.from(
      await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    );
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    writeFileSync(join(folder, 'c-bomb.png'), bomb);
    await sharp(join(PEOPLE, 'four-384x834.jpg')).webp({ quality: 90 }).toFile(join(folder, 'd-four.webp'));

    const run = await detect(folder, '--json');
    expect(run.status).toBe(2);
    const results = JSON.parse(run.stdout) as ImageResult[];
    expect(results.map((r) => [basename(r.file), r.format, r.detections.length])).toEqual([
      ['a-call.jpg', 'jpeg', 1],
      ['d-four.webp', 'webp', 1],
    ]);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    // libvips keeps one error buffer for the process and the folder run decodes ahead, so the
    // detail after our prefix is whatever libvips holds then ("premature end of JPEG image", or
    // only sharp's "Warning treated as error" when another decode has cleared it).
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^error: ${escapeRegExp(join(folder, 'b-truncated.jpg'))}: cannot decode the JPEG image: \\S`)),
      `error: ${join(folder, 'c-bomb.png')}: the image declares 100000x100000 = 10,000,000,000 pixels, over the limit of 268,435,456 pixels (raise it with --max-pixels)`,
    ]);
    expect(run.stderr).toContain('2 of 4 images failed\n');
  });

  it('takes --max-pixels, and --resize bilinear for comparison', async () => {
    const photo = join(PEOPLE, 'call-512x384.jpg');
    expect(await detect(photo, '--max-pixels', '196607')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining(
        `error: ${photo}: the image declares 512x384 = 196,608 pixels, over the limit of 196,607 pixels (raise it with --max-pixels)`,
      ),
    });
    const [exact] = JSON.parse((await detect(photo, '--json', '--max-pixels', '196608')).stdout) as ImageResult[];
    const [bilinear] = JSON.parse((await detect(photo, '--json', '--resize', 'bilinear')).stdout) as ImageResult[];
    expect([exact!.resize, bilinear!.resize]).toEqual(['mediapipe', 'bilinear']);
    expect(exact!.detections).toHaveLength(1);
    expect(bilinear!.detections).toHaveLength(1);
    // Different tensors, the same face: within a few pixels, not identical.
    const dx = Math.abs(exact!.detections[0]!.boxPixels.x - bilinear!.detections[0]!.boxPixels.x);
    expect(dx).toBeLessThan(5);
    expect(exact!.detections[0]!.score).not.toBe(bilinear!.detections[0]!.score);
  });
});

describe.skipIf(!sharedImagesPresent || !hasModel('short_range'))('blazeface detect refuses', () => {
  const one = () => join(SHARED_IMAGES, '1face.png');

  it('a file that is not a model, with exit code 2 and the file named', async () => {
    const model = join(dir, 'unknown.tflite');
    writeFileSync(model, 'not a model at all');
    const run = await detect('--model', model, one());
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(model)}: at byte 4: expected file identifier`));
  });

  it('a missing image or an empty folder', async () => {
    const missing = join(dir, 'nope.png');
    expect(await detect('--model', 'short_range', missing)).toMatchObject({ status: 2, stderr: `error: ${missing}: no such file or folder\n` });
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(await detect('--model', 'short_range', empty)).toMatchObject({
      status: 2,
      stderr: `error: ${empty}: folder holds no .jpg/.jpeg/.png/.webp/.avif/.gif/.tif/.tiff files\n`,
    });
  });

  it('a file that is not an image', async () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'hello');
    const run = await detect('--model', 'short_range', bad);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`error: ${escapeRegExp(bad)}: not an image: expected a JPEG, PNG, WebP, AVIF, GIF or TIFF file\n`));
  });

  it('a .png --out for several images, before writing anything', async () => {
    const out = join(dir, 'many.png');
    const run = await detect('--model', 'short_range', one(), join(SHARED_IMAGES, '3faces.png'), '--out', out);
    expect(run).toMatchObject({ status: 2, stderr: `error: ${out}: a .png file takes one image, got 2: pass a folder\n` });
    expect(existsSync(out)).toBe(false);
  });

  it('an --out that would overwrite an input or collide', async () => {
    const images = await imageFolder();
    copyFileSync(join(images, '1face.png'), join(images, '1face.jpg'));
    const clash = await detect('--model', 'short_range', images, '--out', join(dir, 'clash'));
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain(`both ${join(images, '1face.jpg')} and ${join(images, '1face.png')} would be annotated to this file`);
    rmSync(join(images, '1face.jpg'));
    const over = await detect('--model', 'short_range', images, '--out', images);
    expect(over.status).toBe(2);
    expect(over.stderr).toContain('the annotated image would overwrite the input');
  });

  it('a --min-score outside [0, 1] or an unknown --nms', async () => {
    const score = await detect('--model', 'short_range', one(), '--min-score', '1.5');
    expect(score.status).not.toBe(0);
    expect(score.stderr).toContain("error: option '--min-score <x>' argument '1.5' is invalid. expected a number from 0 to 1, got \"1.5\"");
    const nms = await detect('--model', 'short_range', one(), '--nms', 'soft');
    expect(nms.status).not.toBe(0);
    expect(nms.stderr).toContain("argument 'soft' is invalid. Allowed choices are weighted, weighted-mean-score, hard.");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
