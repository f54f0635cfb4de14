import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RegistryError } from '../ir/errors.js';
import { sha256Hex } from '../io/sha256.js';
import type { KeypointFamily } from './keypoints.js';
import { readPackedAsset } from './packed-assets.js';

/** The repository (or installed package) root: two levels above this file in src/ and dist/src/. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * A folder holding model files that npm does not ship (`front`, `back`), found there by their
 * registry file name. Only this variable points the package at such a folder: it never guesses
 * one from where it is installed.
 */
export const MODEL_DIR_VARIABLE = 'BLAZEFACE_MODEL_DIR';

export type ModelId =
  | 'front'
  | 'back'
  | 'short_range'
  | 'full_range'
  | 'full_range_sparse'
  | 'palm_detection_lite'
  | 'palm_detection_full'
  | 'hand_landmark_lite'
  | 'hand_landmark_full'
  | 'face_landmark';

/**
 * Where a registry model comes from: a file inside an npm package (a dependency, so it is
 * always there), possibly packed in the package's `<packedAssets>.data` (the byte range from
 * `<packedAssets>_loader.js`), or a file in MediaPipe's repository history that the user downloads.
 */
export type ModelSource =
  | { readonly package: string; readonly path: string; readonly packedAssets?: string }
  | { readonly url: string; readonly repositoryPath: string };

/** MediaPipe SsdAnchorsCalculatorOptions, with MediaPipe's own field names. */
export type AnchorOptionsJson = Readonly<Record<string, number | boolean | readonly number[] | readonly unknown[]>>;

/** MediaPipe TensorsToDetectionsCalculatorOptions (plus the NMS threshold), MediaPipe field names. */
export interface DecodingOptions {
  readonly num_boxes: number;
  readonly num_coords: number;
  readonly box_coord_offset: number;
  readonly keypoint_coord_offset: number;
  readonly num_keypoints: number;
  readonly num_values_per_keypoint: number;
  readonly x_scale: number;
  readonly y_scale: number;
  readonly w_scale: number;
  readonly h_scale: number;
  readonly sigmoid_score: boolean;
  readonly score_clipping_thresh: number;
  readonly reverse_output_order: boolean;
  readonly min_score_thresh: number;
  readonly min_suppression_threshold: number;
}

export interface ModelEntry {
  readonly id: ModelId;
  readonly title: string;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly source: ModelSource;
  readonly provenance: string;
  readonly license: string;
  readonly input: { readonly width: number; readonly height: number; readonly range: readonly [number, number] };
  /**
   * Each output's name in converted models → its TFLite tensor name, in the model's output
   * order: `regressors` and `classificators` for SSD detectors, the sanitized TFLite name
   * otherwise (see canonicalNames).
   */
  readonly outputs: Readonly<Record<string, string>>;
  /** SSD detectors only: anchors (MediaPipe SsdAnchorsCalculatorOptions) and decoding. */
  readonly anchors?: AnchorOptionsJson;
  readonly decoding?: DecodingOptions;
  /** SSD detectors: whose keypoint names apply (default: the family with num_keypoints names). */
  readonly keypoints?: KeypointFamily;
  /** Landmark models: which output holds the points (MediaPipe's TensorsToLandmarksCalculator options). */
  readonly landmarks?: LandmarkOutput;
}

/**
 * A landmark model's point output: `count` points of (x, y, z), x and y in pixels of the model
 * input (MediaPipe divides them by input_image_width/height), as the first output of MediaPipe's
 * hand and face landmark graphs is read.
 */
export interface LandmarkOutput {
  /** What the points are on: the model expects a crop around one of these. */
  readonly of: 'hand' | 'face';
  readonly output: string;
  readonly count: number;
  /** The output MediaPipe thresholds to decide whether the hand or face is there, shown as it is. */
  readonly presence?: string;
}

interface RegistryFile {
  readonly models: readonly ModelEntry[];
}

const REGISTRY_PATH = join(PACKAGE_ROOT, 'weights', 'registry.json');
const registry = JSON.parse(readFileSync(REGISTRY_PATH, 'utf8')) as RegistryFile;

export const MODEL_IDS: readonly ModelId[] = registry.models.map((m) => m.id);

export function listModels(): readonly ModelEntry[] {
  return registry.models;
}

export function getModel(id: string): ModelEntry {
  const entry = registry.models.find((m) => m.id === id);
  if (!entry) throw new RegistryError(`unknown model id '${id}' (known: ${MODEL_IDS.join(', ')})`);
  return entry;
}

/**
 * Where a registry model's file lives on this machine: inside its npm package (for a packed
 * asset `<data file>#<name>`), or for a model npm does not ship, in $BLAZEFACE_MODEL_DIR;
 * undefined when that variable is not set.
 */
export function modelPath(entry: ModelEntry): string | undefined {
  const source = entry.source;
  if ('url' in source) {
    const dir = process.env[MODEL_DIR_VARIABLE];
    return dir ? resolve(dir, entry.file) : undefined;
  }
  const dir = packageDir(entry, source.package);
  return source.packedAssets ? `${join(dir, `${source.packedAssets}.data`)}#${source.path}` : join(dir, source.path);
}

function packageDir(entry: ModelEntry, name: string): string {
  const require = createRequire(join(PACKAGE_ROOT, 'package.json'));
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    throw new RegistryError(`its file comes with the npm package ${name}, which is not installed (npm install ${name})`, entry.id);
  }
  return dirname(manifest);
}

/** The file on disk behind modelPath: a packed asset's data file. */
function fileOnDisk(path: string): string {
  return path.replace(/#[^#]*$/, '');
}

/** True when the registry model's file can be loaded by id on this machine. */
export function modelFileAvailable(entry: ModelEntry): boolean {
  const path = modelPath(entry);
  return path !== undefined && existsSync(fileOnDisk(path));
}

/** The one-line refusal for a model given by id whose file is not here, saying where to get it. */
function missingModelError(entry: ModelEntry, path: string | undefined): RegistryError {
  if (!('url' in entry.source)) return new RegistryError(`model file not found at ${path}; reinstall ${entry.source.package}`, entry.id);
  const where = path === undefined ? 'is not on npm' : `is not in $${MODEL_DIR_VARIABLE} (${path})`;
  return new RegistryError(
    `${entry.file} ${where}; download it from MediaPipe's repository (${entry.source.url}) and pass its path ` +
      `(--model path/to/${entry.file}: a file is matched to the registry by sha256) or put it in $${MODEL_DIR_VARIABLE}`,
    entry.id,
  );
}

export interface LoadedModelFile {
  /** The registry entry: given by id, or found by the file's sha256. */
  readonly entry?: ModelEntry;
  readonly path: string;
  /** A short name for messages and output folders: the id, or the file name without extension. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * Resolves a registry id or a file path and reads the file. A registry model must match its
 * recorded sha256; a path is matched to a registry entry by sha256 so it gets the entry's
 * anchors and thresholds.
 */
export function loadModelFile(ref: string): LoadedModelFile {
  const byId = registry.models.find((m) => m.id === ref);
  if (byId) {
    const path = modelPath(byId);
    if (path === undefined || !existsSync(fileOnDisk(path))) throw missingModelError(byId, path);
    const source = byId.source;
    const bytes =
      'package' in source && source.packedAssets
        ? readPackedAsset(packageDir(byId, source.package), source.packedAssets, source.path).bytes
        : readModelBytes(path);
    const sha256 = sha256Hex(bytes);
    if (sha256 !== byId.sha256) {
      throw new RegistryError(`sha256 is ${sha256}, registry expects ${byId.sha256}`, path);
    }
    return { entry: byId, path, name: byId.id, bytes, sha256 };
  }
  if (!existsSync(ref)) {
    throw new RegistryError(`neither a registry model id (${MODEL_IDS.join(', ')}) nor an existing file`, ref);
  }
  const bytes = readModelBytes(ref);
  const sha256 = sha256Hex(bytes);
  const entry = registry.models.find((m) => m.sha256 === sha256);
  return { entry, path: ref, name: entry?.id ?? fileStem(ref), bytes, sha256 };
}

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'weights', 'registry.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new RegistryError(`cannot find the package root above ${start}`);
    dir = parent;
  }
}

/** The file's bytes; a folder or an unreadable file is bad input, named, not a crash. */
function readModelBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EISDIR'
        ? 'is a folder, not a model file'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code ?? (error as Error).message})`;
    throw new RegistryError(reason, path);
  }
}

/**
 * A name for output folders and files from a model file's name: its stem, with anything but
 * letters, digits, `-`, `_` and inner dots replaced, so `...tflite` or `.tflite` cannot name a
 * folder outside `out/`.
 */
export function fileStem(path: string): string {
  const stem = basename(path)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+|\.+$/g, '');
  return stem === '' ? 'model' : stem;
}
