import { anchorsToFloat32 } from '../anchors/anchor.js';
import { generateAnchors } from '../anchors/generate-anchors.js';
import { anchorOptionsFromJson } from '../anchors/options-json.js';
import { keypointNames, type KeypointFamily, type KeypointName } from './keypoints.js';
import type { AnchorOptionsJson, DecodingOptions, ModelEntry } from './registry.js';

/** Where a detector's anchor or decoding options came from. */
export type DetectorOrigin = 'registry' | 'inferred from the graph' | 'options file';

/**
 * Everything needed to turn an SSD detector's raw outputs into detections: MediaPipe's
 * SsdAnchorsCalculatorOptions and TensorsToDetectionsCalculatorOptions (field names as in
 * MediaPipe's graphs), the keypoint names, and where each came from.
 */
export interface DetectorSpec {
  readonly anchors: AnchorOptionsJson;
  readonly decoding: DecodingOptions;
  readonly family?: KeypointFamily;
  readonly keypoints: readonly KeypointName[];
  readonly origin: { readonly anchors: DetectorOrigin; readonly decoding: DetectorOrigin };
  /** Why each inferred value is what it is, one line each (inspect prints them). */
  readonly reasons: readonly string[];
}

/** A registry entry's detector, or undefined for a model that is not an SSD detector. */
export function registryDetector(entry: ModelEntry): DetectorSpec | undefined {
  if (!entry.anchors || !entry.decoding) return undefined;
  const { family, names } = keypointNames(entry.decoding.num_keypoints, entry.keypoints);
  return {
    anchors: entry.anchors,
    decoding: entry.decoding,
    ...(family ? { family } : {}),
    keypoints: names,
    origin: { anchors: 'registry', decoding: 'registry' },
    reasons: [],
  };
}

/** The detector's anchor table, float32 [N, 4] of x_center, y_center, w, h. */
export function detectorAnchorTable(spec: DetectorSpec, where = 'anchor options'): Float32Array {
  return anchorsToFloat32(generateAnchors(anchorOptionsFromJson(spec.anchors, where)));
}
