/**
 * A worker thread of the throughput benchmark: its own ONNX Runtime session, decoding and
 * detecting the files the main thread posts, one at a time, answering with the face count.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { readOrientedImage } from '../../src/image/read-image.js';

const { model, cacheDir, threads } = workerData as { model: string; cacheDir: string; threads: number };
const detector = await createFaceDetector(model, { cacheDir, threads });
parentPort?.on('message', async (file: string | null) => {
  if (file === null) {
    await detector.release();
    parentPort?.close();
    return;
  }
  const image = await readOrientedImage(await readFile(file), file);
  const { detections } = await detector.detect(image);
  parentPort?.postMessage(detections.length);
});
parentPort?.postMessage('ready');
