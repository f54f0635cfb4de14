import { listModels, modelFileAvailable, modelPath, type ModelEntry } from '../../src/models/registry.js';

/**
 * Registry models whose file is on this machine. Under CI=true every model must be there
 * (a missing ../shared model is a failure, not a skip); elsewhere a missing one is skipped
 * with a message, so a checkout without ../shared still runs the rest.
 */
export function availableModels(): ModelEntry[] {
  const missing = listModels().filter((m) => !modelFileAvailable(m));
  if (missing.length > 0) {
    const names = missing.map((m) => `${m.id} (${modelPath(m) ?? 'no $BLAZEFACE_MODEL_DIR'})`).join(', ');
    if (process.env.CI === 'true') throw new Error(`model files missing under CI: ${names}`);
    console.warn(`skipping models whose files are missing: ${names}`);
  }
  return listModels().filter(modelFileAvailable);
}

/** Available SSD detectors (registry entries with anchors and decoding). */
export function availableDetectors(): ModelEntry[] {
  return availableModels().filter((m) => m.anchors !== undefined && m.decoding !== undefined);
}
