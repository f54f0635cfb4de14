import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryError } from '../ir/errors.js';

/** One file inside a MediaPipe solution's packed assets: where its bytes are in the `.data` file. */
export interface PackedAsset {
  /** The path the loader lists (e.g. `/third_party/mediapipe/modules/palm_detection/palm_detection_lite.tflite`). */
  readonly filename: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The files a MediaPipe npm solution packs into `<name>.data`, read from the byte ranges its
 * Emscripten loader `<name>_loader.js` lists as `"filename": "...", "start": N, "end": M`.
 */
export function packedAssets(dir: string, name: string): PackedAsset[] {
  const loader = join(dir, `${name}_loader.js`);
  if (!existsSync(loader)) throw new RegistryError('packed-assets loader not found', loader);
  const text = readFileSync(loader, 'utf8');
  const assets = [...text.matchAll(/"filename":\s*"([^"]+)",\s*"start":\s*(\d+),\s*"end":\s*(\d+)/g)].map((m) => ({
    filename: m[1] ?? '',
    start: Number(m[2]),
    end: Number(m[3]),
  }));
  if (assets.length === 0) throw new RegistryError('lists no packed files ("filename", "start", "end")', loader);
  return assets;
}

/** The bytes of the packed file whose name ends in `/<file>`; the range must lie inside the `.data` file. */
export function readPackedAsset(dir: string, name: string, file: string): { readonly path: string; readonly bytes: Uint8Array } {
  const asset = packedAssets(dir, name).find((a) => a.filename === file || a.filename.endsWith(`/${file}`));
  const dataPath = join(dir, `${name}.data`);
  if (!asset) throw new RegistryError(`${name}_loader.js lists no ${file}`, dataPath);
  if (!existsSync(dataPath)) throw new RegistryError('packed-assets data file not found', dataPath);
  // Only the asset's range is read: the data file holds every model of the solution.
  const fd = openSync(dataPath, 'r');
  try {
    const size = fstatSync(fd).size;
    if (!(asset.start >= 0 && asset.start < asset.end && asset.end <= size)) {
      throw new RegistryError(`${file} is listed at bytes ${asset.start}..${asset.end}, outside the ${size}-byte file`, dataPath);
    }
    const bytes = new Uint8Array(asset.end - asset.start);
    for (let done = 0; done < bytes.byteLength; ) {
      const read = readSync(fd, bytes, done, bytes.byteLength - done, asset.start + done);
      if (read === 0) throw new RegistryError(`${file} ends at byte ${asset.start + done}, before ${asset.end}: the file shrank while it was read`, dataPath);
      done += read;
    }
    return { path: `${dataPath}#${file}`, bytes };
  } finally {
    closeSync(fd);
  }
}
