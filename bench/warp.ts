/**
 * Preprocessing speed: MediaPipe's ImageToTensorCalculator in TypeScript (the fixed-point
 * warp alone, and the whole path to the float tensor) against the current letterbox (float
 * bilinear resize, then pixel / 127.5 - 1), on the photo sizes the detectors meet.
 *
 *   npm run build && node dist/bench/warp.js [--runs 300]
 *
 * Prints medians (with the 10th and 90th percentiles) of interleaved runs.
 */
import { parseArgs } from 'node:util';
import { imageToTensor, roiToTensorTransform, getRoi, padRoi } from '../src/image/image-to-tensor.js';
import { letterbox } from '../src/image/letterbox.js';
import type { RgbImage } from '../src/image/rgb-image.js';
import { imageToInput } from '../src/image/to-tensor.js';
import { warpPerspective } from '../src/image/warp-perspective.js';
import { describeMachine, loadAverage } from './src/machine.js';
import { interleave } from './src/timing.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

/** Seeded noise: every sample touches different bytes, as in a photo, and no branch is predictable. */
function noise(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let state = 0x2545f491;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = state & 255;
  }
  return { width, height, data };
}

const machine = describeMachine();
process.stdout.write(`${machine.cpu}, ${machine.cores} cores, ${machine.node}, load ${loadAverage()}\n\n`);
process.stdout.write('| image → tensor | contender | median ms | p10 | p90 |\n| --- | --- | --- | --- | --- |\n');
for (const [width, height, size] of [
  [1280, 720, 128],
  [1920, 1080, 192],
  [1920, 1080, 256],
] as const) {
  const image = noise(width, height);
  const { roi } = padRoi(size, size, true, getRoi(width, height));
  const transform = roiToTensorTransform(roi, size, size);
  const output = new Uint8Array(size * size * 3);
  const results = await interleave(
    [
      { name: 'warpPerspective (uint8)', run: () => warpPerspective(image, transform, size, size, output) },
      { name: 'imageToTensor (MediaPipe, float)', run: () => imageToTensor(image, { width: size, height: size }) },
      { name: 'letterbox + imageToInput (current)', run: () => imageToInput(letterbox(image, size, size).image) },
    ],
    { warmup: 20, runs },
  );
  for (const [name, s] of results) {
    process.stdout.write(`| ${width}x${height} → ${size}x${size} | ${name} | ${s.medianMs.toFixed(3)} | ${s.p10Ms.toFixed(3)} | ${s.p90Ms.toFixed(3)} |\n`);
  }
}
process.stdout.write(`\nload after: ${loadAverage()}\n`);
