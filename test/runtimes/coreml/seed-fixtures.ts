/**
 * Inputs and expected outputs for the seed-model parity test: the seed's anchor table (.npy),
 * the test photos (PNG), and the TFLite golden outputs of the `front` model decoded the way the
 * seed's CoreML model decodes them (GUIDE §4).
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { RgbImage } from '../../../src/runtimes/coreml/execute.js';

/**
 * A little-endian, C-order NumPy .npy file of float32 ('<f4') or float64 ('<f8') values
 * (format versions 1 to 3). The seed's anchor table is float64 although it is described as
 * float32, so both are read, as numbers.
 */
export function readNpy(path: string): { shape: number[]; data: Float64Array } {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${path}: not a .npy file`);
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.subarray(headerStart, headerStart + headerLength).toString('latin1');
  const descr = /'descr':\s*'(<f4|<f8)'/.exec(header)?.[1];
  if (!descr || !/'fortran_order':\s*False/.test(header)) throw new Error(`${path}: not C-order little-endian float32/float64 (${header})`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const body = bytes.subarray(headerStart + headerLength);
  const copy = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  const data = descr === '<f8' ? new Float64Array(copy) : Float64Array.from(new Float32Array(copy));
  if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${path}: ${data.length} values for shape [${shape.join(', ')}]`);
  return { shape, data };
}

export function readFloat32File(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function readPng(path: string): RgbImage {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, channels: 4, data: png.data };
}

/**
 * Raw regressors [896, 16] (centre, size, 6 keypoints, in pixels of a `scale`-sized input) to
 * the seed's layout: box corners xmin, ymin, xmax, ymax, then keypoints, relative to the image.
 */
export function decodeRegressors(raw: Float32Array, anchors: Float64Array, scale: number): Float32Array {
  const count = anchors.length / 4;
  const out = new Float32Array(count * 16);
  for (let i = 0; i < count; i++) {
    const [ax, ay, aw, ah] = [anchors[4 * i]!, anchors[4 * i + 1]!, anchors[4 * i + 2]!, anchors[4 * i + 3]!];
    const r = (k: number) => raw[16 * i + k]!;
    const xc = (r(0) / scale) * aw + ax;
    const yc = (r(1) / scale) * ah + ay;
    const w = (r(2) / scale) * aw;
    const h = (r(3) / scale) * ah;
    out.set([xc - w / 2, yc - h / 2, xc + w / 2, yc + h / 2], 16 * i);
    for (let k = 0; k < 6; k++) {
      out[16 * i + 4 + 2 * k] = (r(4 + 2 * k) / scale) * aw + ax;
      out[16 * i + 5 + 2 * k] = (r(5 + 2 * k) / scale) * ah + ay;
    }
  }
  return out;
}

export function decodeScores(logits: Float32Array): Float32Array {
  return logits.map((x) => 1 / (1 + Math.exp(-Math.min(Math.max(x, -100), 100))));
}

/** max |a - b| / (1 + |b|), with b the reference. */
export function maxRelativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}
