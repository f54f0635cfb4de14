/**
 * The `.mlpackage` folder an ML Program ships in, as Apple's model package library lays it out:
 *
 *   Manifest.json                             {"fileFormatVersion": "1.0.0", "itemInfoEntries": {id: {author,
 *                                             description, name, path}}, "rootModelIdentifier": id}
 *   Data/com.apple.CoreML/model.mlmodel       the model specification (root item)
 *   Data/com.apple.CoreML/weights/weight.bin  the weight file (blob storage), in the item "weights"
 *
 * Item paths are relative to `Data/`. A program names its weight file
 * `@model_path/weights/weight.bin`, `@model_path` being the folder of model.mlmodel.
 * Apple's library makes a random UUID per item; ours are derived from the item's name and
 * content, so the same model always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { CoremlError } from '../ir/errors.js';

export const MANIFEST_PATH = 'Manifest.json';
export const DATA_DIR = 'Data';
export const COREML_AUTHOR = 'com.apple.CoreML';
export const MODEL_ITEM_PATH = `${COREML_AUTHOR}/model.mlmodel`;
export const WEIGHTS_ITEM_PATH = `${COREML_AUTHOR}/weights`;
export const MODEL_PATH = `${DATA_DIR}/${MODEL_ITEM_PATH}`;
export const WEIGHT_FILE_PATH = `${DATA_DIR}/${WEIGHTS_ITEM_PATH}/weight.bin`;
const MODEL_PATH_PREFIX = '@model_path/';
const FILE_FORMAT_VERSION = '1.0.0';

export interface ManifestItem {
  readonly author: string;
  readonly description: string;
  readonly name: string;
  readonly path: string;
}

export interface PackageManifest {
  readonly fileFormatVersion: string;
  readonly itemInfoEntries: Readonly<Record<string, ManifestItem>>;
  readonly rootModelIdentifier: string;
}

/** Manifest.json for a package holding `model` and the weight file `weights`. */
export function packageManifest(model: Uint8Array, weights: Uint8Array): string {
  const modelId = itemIdentifier('model.mlmodel', model);
  const weightsId = itemIdentifier('weights', weights);
  const manifest: PackageManifest = {
    fileFormatVersion: FILE_FORMAT_VERSION,
    itemInfoEntries: {
      [modelId]: { author: COREML_AUTHOR, description: 'CoreML Model Specification', name: 'model.mlmodel', path: MODEL_ITEM_PATH },
      [weightsId]: { author: COREML_AUTHOR, description: 'CoreML Model Weights', name: 'weights', path: WEIGHTS_ITEM_PATH },
    },
    rootModelIdentifier: modelId,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * An RFC 9562 version-8 (custom) UUID from the sha256 of the item's name and content, in the
 * upper case Apple's tools print.
 */
function itemIdentifier(name: string, content: Uint8Array): string {
  const digest = createHash('sha256').update(name).update('\0').update(content).digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Reads Manifest.json and returns the package path of the root model: checks the format
 * version (1.x.y, as Apple's reader accepts), that every item has its four strings and a
 * relative path inside `Data/`, and that the root identifier names an item.
 */
export function readPackageManifest(text: string, file: string): { readonly manifest: PackageManifest; readonly modelPath: string } {
  const fail = (detail: string): never => {
    throw new CoremlError(MANIFEST_PATH, detail, file);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) return fail('expected a JSON object');
  const version = parsed.fileFormatVersion;
  if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version)) fail(`fileFormatVersion must be 1.x.y, got ${JSON.stringify(version)}`);
  const entries = parsed.itemInfoEntries;
  if (!isRecord(entries)) return fail('itemInfoEntries must be an object');
  for (const [id, item] of Object.entries(entries)) {
    if (!isRecord(item)) fail(`item ${id} must be an object`);
    for (const key of ['author', 'description', 'name', 'path'] as const) {
      if (typeof (item as Record<string, unknown>)[key] !== 'string') fail(`item ${id} needs a string ${key}`);
    }
    const path = (item as Record<string, unknown>).path as string;
    if (path.startsWith('/') || path.split('/').some((part) => part === '..' || part === ''))
      fail(`item ${id} path ${JSON.stringify(path)} must stay inside ${DATA_DIR}/`);
  }
  const root = parsed.rootModelIdentifier;
  if (typeof root !== 'string' || !isRecord(entries[root])) return fail(`rootModelIdentifier ${JSON.stringify(root)} names no item`);
  const manifest = parsed as unknown as PackageManifest;
  return { manifest, modelPath: `${DATA_DIR}/${manifest.itemInfoEntries[root]!.path}` };
}

/** The package path of a weight file a program names (`@model_path/...`), relative to the model's folder. */
export function resolveModelPath(modelPath: string, reference: string, file: string): string {
  if (!reference.startsWith(MODEL_PATH_PREFIX))
    throw new CoremlError(`weight file ${JSON.stringify(reference)}`, `expected a path starting with ${MODEL_PATH_PREFIX}`, file);
  const relative = reference.slice(MODEL_PATH_PREFIX.length);
  if (relative.split('/').some((part) => part === '..' || part === '' || part === '.')) {
    throw new CoremlError(`weight file ${JSON.stringify(reference)}`, 'must stay inside the model package', file);
  }
  return `${modelPath.slice(0, modelPath.lastIndexOf('/') + 1)}${relative}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
