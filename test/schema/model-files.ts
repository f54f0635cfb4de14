import { MODEL_IDS, getModel, loadModelFile, modelFileAvailable, modelPath, type LoadedModelFile, type ModelId } from '../../src/models/registry.js';

export interface ModelCase {
  readonly id: ModelId;
  /** False only off CI when the file is missing; on CI a missing file must fail the test. */
  readonly run: boolean;
  load(): LoadedModelFile;
}

const onCi = process.env.CI === 'true';

/** The five registry models; missing ones are skipped with a message, except on CI. */
export function modelCases(): readonly ModelCase[] {
  return MODEL_IDS.map((id) => {
    const present = modelFileAvailable(getModel(id));
    if (!present && !onCi)
      console.warn(`skipping model ${id}: ${modelPath(getModel(id)) ?? 'no $BLAZEFACE_MODEL_DIR'} is missing (it must exist when CI=true)`);
    return { id, run: present || onCi, load: () => loadModelFile(id) };
  });
}
