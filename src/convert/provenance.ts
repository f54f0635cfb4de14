import { KEYPOINT_NAMES } from '../models/keypoints.js';
import type { LoadedModelFile } from '../models/registry.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';

/** Where an artifact came from, as every format records it. */
export interface Provenance {
  readonly sourceFile: string;
  readonly sourceSha256: string;
  readonly modelId: string;
  readonly title: string;
}

export function provenance(file: LoadedModelFile): Provenance {
  return {
    sourceFile: file.path.split(/[\\/]/).pop() ?? file.path,
    sourceSha256: file.sha256,
    modelId: file.entry?.id ?? 'unknown',
    title: file.entry?.title ?? file.name,
  };
}

/** The key/value metadata every model file carries: converter, source and keypoints. */
export function provenanceMetadata(file: LoadedModelFile): Record<string, string> {
  const p = provenance(file);
  return {
    converter: CONVERTER_NAME,
    converter_version: CONVERTER_VERSION,
    source_file: p.sourceFile,
    source_sha256: p.sourceSha256,
    model_id: p.modelId,
    keypoints: KEYPOINT_NAMES.join(','),
  };
}

/** The registry's anchor and decoding options, for a file the registry knows. */
export function optionsMetadata(file: LoadedModelFile): Record<string, string> {
  const entry = file.entry;
  return entry ? { anchor_options: JSON.stringify(entry.anchors), decoding_options: JSON.stringify(entry.decoding) } : {};
}
