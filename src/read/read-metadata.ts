import { BlazefaceError } from '../ir/errors.js';
import {
  AssociatedFileType,
  AssociatedFileTypeName,
  ColorSpaceTypeName,
  decodeModelMetadata,
  type AssociatedFile,
  type TensorMetadata,
} from '../schema/tflite-metadata.js';
import type { TfliteFile } from './read-tflite.js';
import { readAppendedZip, type ZipEntry } from './zip.js';

/** The `Model.metadata` entry MediaPipe Tasks and TFLite Support models carry. */
export const TFLITE_METADATA = 'TFLITE_METADATA';

/** Labels a tensor's associated file gives, from the zip archive appended to the model. */
export interface TensorLabels {
  readonly file: string;
  /** `TENSOR_AXIS_LABELS` (one per entry of an axis) or `TENSOR_VALUE_LABELS` (one per class id). */
  readonly type: string;
  readonly locale?: string;
  /** One per non-empty line; absent when the file could not be read (see `problem`). */
  readonly labels?: readonly string[];
  readonly problem?: string;
}

/** What the metadata says about one input or output tensor. */
export interface TensorMetadataInfo {
  readonly name?: string;
  readonly description?: string;
  /** Per-channel `(x - mean) / std` the model expects; one value applies to every channel. */
  readonly normalization?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly image?: { readonly colorSpace: string; readonly width?: number; readonly height?: number };
  readonly scoreThreshold?: number;
  readonly labels?: readonly TensorLabels[];
}

/** The TFLITE_METADATA of a model, as `inspect` shows it. */
export interface TfliteMetadataInfo {
  readonly name?: string;
  readonly description?: string;
  readonly version?: string;
  readonly author?: string;
  readonly license?: string;
  readonly minParserVersion?: string;
  /** Metadata of the main subgraph's inputs and outputs, in SubGraph order. */
  readonly inputs: readonly TensorMetadataInfo[];
  readonly outputs: readonly TensorMetadataInfo[];
  /** Names of the files in the zip archive appended to the model. */
  readonly files: readonly string[];
}

/**
 * The file's TFLITE_METADATA, if it has any. The graph never depends on it, so a damaged
 * metadata buffer or archive does not stop reading the model: it comes back as `problem`,
 * which `inspect` prints.
 */
export function readTfliteMetadata(tflite: TfliteFile, bytes: Uint8Array): { metadata?: TfliteMetadataInfo; problem?: string } {
  const entry = (tflite.model.metadata ?? []).find((m) => m.name === TFLITE_METADATA);
  if (!entry) return {};
  try {
    const buffer = tflite.buffers[entry.buffer];
    if (!buffer) throw new BlazefaceError(`${TFLITE_METADATA} points at buffer ${entry.buffer} of ${tflite.buffers.length}`, tflite.file);
    const model = decodeModelMetadata(buffer, `${tflite.file} (${TFLITE_METADATA} buffer ${entry.buffer})`);
    const archive = appendedFiles(bytes, tflite.file);
    const subgraph = model.subgraphMetadata?.[0];
    const tensor = (t: TensorMetadata): TensorMetadataInfo => tensorInfo(t, archive);
    return {
      metadata: {
        ...text('name', model.name),
        ...text('description', model.description),
        ...text('version', model.version),
        ...text('author', model.author),
        ...text('license', model.license),
        ...text('minParserVersion', model.minParserVersion),
        inputs: (subgraph?.inputTensorMetadata ?? []).map(tensor),
        outputs: (subgraph?.outputTensorMetadata ?? []).map(tensor),
        files: [...archive.files.keys()],
      },
    };
  } catch (error) {
    if (!(error instanceof BlazefaceError)) throw error;
    return { problem: error.describe() };
  }
}

/**
 * The float range 8-bit pixels 0..255 map to under the input's normalization, when every
 * channel normalizes alike (the only kind a single range describes).
 */
export function normalizationRange(info: TensorMetadataInfo | undefined): readonly [number, number] | undefined {
  const n = info?.normalization;
  if (!n || n.mean.length === 0 || n.std.length === 0) return undefined;
  const mean = n.mean[0] ?? 0;
  const std = n.std[0] ?? 1;
  if (n.mean.some((m) => m !== mean) || n.std.some((s) => s !== std) || !(std > 0)) return undefined;
  return [(0 - mean) / std, (255 - mean) / std];
}

interface Archive {
  readonly files: ReadonlyMap<string, ZipEntry>;
  /** Why the appended archive could not be read; its labels then report this. */
  readonly problem?: string;
}

function appendedFiles(bytes: Uint8Array, file: string): Archive {
  try {
    return { files: new Map((readAppendedZip(bytes, file) ?? []).map((z) => [z.name, z])) };
  } catch (error) {
    if (!(error instanceof BlazefaceError)) throw error;
    return { files: new Map(), problem: `the appended zip archive: ${error.message}` };
  }
}

function tensorInfo(t: TensorMetadata, archive: Archive): TensorMetadataInfo {
  let normalization: TensorMetadataInfo['normalization'];
  let scoreThreshold: number | undefined;
  for (const unit of t.processUnits ?? []) {
    const options = unit.options;
    if (options?.type === 'NormalizationOptions') {
      normalization = { mean: [...(options.value.mean ?? [])], std: [...(options.value.std ?? [])] };
    } else if (options?.type === 'ScoreThresholdingOptions') {
      scoreThreshold = options.value.globalScoreThreshold;
    }
  }
  const properties = t.content?.contentProperties;
  const image =
    properties?.type === 'ImageProperties'
      ? {
          colorSpace: ColorSpaceTypeName[properties.value.colorSpace] ?? `color space ${properties.value.colorSpace}`,
          ...(properties.value.defaultSize ? { width: properties.value.defaultSize.width, height: properties.value.defaultSize.height } : {}),
        }
      : undefined;
  const labels = (t.associatedFiles ?? []).filter(isLabels).map((f) => labelsOf(f, archive));
  return {
    ...text('name', t.name),
    ...text('description', t.description),
    ...(normalization ? { normalization } : {}),
    ...(image ? { image } : {}),
    ...(scoreThreshold !== undefined ? { scoreThreshold } : {}),
    ...(labels.length ? { labels } : {}),
  };
}

function isLabels(f: AssociatedFile): boolean {
  return f.type === AssociatedFileType.TENSOR_AXIS_LABELS || f.type === AssociatedFileType.TENSOR_VALUE_LABELS;
}

function labelsOf(f: AssociatedFile, archive: Archive): TensorLabels {
  const files = archive.files;
  const name = f.name ?? '';
  const head = { file: name, type: AssociatedFileTypeName[f.type] ?? String(f.type), ...(f.locale ? { locale: f.locale } : {}) };
  const entry = files.get(name);
  if (!entry) {
    const problem =
      archive.problem ?? (files.size ? `not in the appended zip archive (${[...files.keys()].join(', ')})` : 'no zip archive appended to the file');
    return { ...head, problem };
  }
  try {
    const labels = new TextDecoder('utf-8', { fatal: true })
      .decode(entry.read())
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    return { ...head, labels };
  } catch (error) {
    if (error instanceof BlazefaceError) return { ...head, problem: error.message };
    if (error instanceof TypeError) return { ...head, problem: 'not UTF-8 text' };
    throw error;
  }
}

function text<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}
