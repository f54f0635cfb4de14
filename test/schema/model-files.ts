import { existsSync } from 'node:fs';
import { MODEL_IDS, getModel, loadModelFile, modelPath, type LoadedModelFile, type ModelId } from '../../src/models/registry.js';

export interface ModelCase {
  readonly id: ModelId;
  /** False only off CI when the file is missing; on CI a missing file must fail the test. */
  readonly run: boolean;
  load(): LoadedModelFile;
}

const onCi = process.env.CI === 'true';

/** The registry models; missing ones are skipped with a message, except on CI. */
export function modelCases(): readonly ModelCase[] {
  return MODEL_IDS.map((id) => {
    // A packed model's path is `<data file>#<name>`: the data file is what must exist.
    const path = modelPath(getModel(id)).replace(/#.*$/, '');
    const present = existsSync(path);
    if (!present && !onCi) console.warn(`skipping model ${id}: ${path} is missing (it must exist when CI=true)`);
    return { id, run: present || onCi, load: () => loadModelFile(id) };
  });
}
