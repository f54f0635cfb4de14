/**
 * Child process of the memory benchmark: `node dist/bench/src/large-photo.js <image> <model>`.
 * Loads the detector, notes the resident memory, then decodes and detects the image once and
 * prints one JSON line with the times and the peak resident memory (VmHWM) before and after.
 */
import { readFileSync } from 'node:fs';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { readImage } from '../../src/image/read-image.js';

export interface LargePhotoReport {
  readonly width: number;
  readonly height: number;
  readonly fileBytes: number;
  readonly decodeMs: number;
  readonly detectMs: number;
  readonly faces: number;
  /** Peak resident memory with the detector loaded, before the image (KiB). */
  readonly baselineKiB: number;
  /** Peak resident memory after decoding and detecting (KiB). */
  readonly peakKiB: number;
}

function highWaterKiB(): number {
  const hwm = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s*(\d+) kB$/m)?.[1];
  return hwm === undefined ? process.resourceUsage().maxRSS : Number(hwm);
}

const [file, model = 'full_range', cacheDir] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: large-photo.js <image> [model] [cacheDir]\n');
  process.exit(2);
}
const detector = await createFaceDetector(model, { cacheDir, threads: 1 });
const baselineKiB = highWaterKiB();
const bytes = readFileSync(file);
const t0 = performance.now();
const image = await readImage(bytes, file, { maxPixels: 2 ** 28 });
const t1 = performance.now();
const { detections } = await detector.detect(image);
const t2 = performance.now();
const report: LargePhotoReport = {
  width: image.width,
  height: image.height,
  fileBytes: bytes.length,
  decodeMs: t1 - t0,
  detectMs: t2 - t1,
  faces: detections.length,
  baselineKiB,
  peakKiB: highWaterKiB(),
};
await detector.release();
process.stdout.write(`${JSON.stringify(report)}\n`);
