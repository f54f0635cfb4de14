import type { LoadedModelFile } from '../models/registry.js';
import type { DetectorSpec } from '../models/detector.js';
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
    // A packed registry model's path names the package's data file; the registry names the model file.
    sourceFile: file.entry?.file ?? file.path.split(/[\\/]/).pop() ?? file.path,
    sourceSha256: file.sha256,
    modelId: file.entry?.id ?? 'unknown',
    title: file.entry?.title ?? file.name,
  };
}

/** The key/value metadata every model file carries: converter and source. */
export function provenanceMetadata(file: LoadedModelFile): Record<string, string> {
  const p = provenance(file);
  return {
    converter: CONVERTER_NAME,
    converter_version: CONVERTER_VERSION,
    source_file: p.sourceFile,
    source_sha256: p.sourceSha256,
    model_id: p.modelId,
  };
}

/** An SSD detector's keypoint names and its anchor and decoding options (the registry's, inferred, or from option files). */
export function optionsMetadata(detector: DetectorSpec | undefined): Record<string, string> {
  return detector
    ? { keypoints: detector.keypoints.join(','), anchor_options: JSON.stringify(detector.anchors), decoding_options: JSON.stringify(detector.decoding) }
    : {};
}
