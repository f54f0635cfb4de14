/**
 * Opening an .mlpackage for execution: the manifest, the root model (decoded against our
 * schema, refusing any field it does not declare) and every weight file the program names
 * (parsed whole by the strict blob storage reader).
 */
import { readBlobStorage } from '../../coreml/blob-storage.js';
import { MANIFEST_PATH, readPackageManifest, resolveModelPath } from '../../coreml/mlpackage.js';
import { decodeMlmodelStrict } from '../../coreml/schema.js';
import type { MILSpec, Model } from '../../coreml/types.js';
import { CoremlError } from '../../ir/errors.js';
import { ArrayPool } from './array-pool.js';
import type { MilTensor } from './tensor.js';
import type { OperationPlan } from './plan.js';
import type { TensorSpec, WeightFiles } from './values.js';

/** Package files by their path inside the package folder, `/`-separated. */
export type MlPackageFiles = ReadonlyMap<string, Uint8Array>;

export interface LoadedMlProgram {
  readonly model: Model;
  readonly program: MILSpec.Program;
  readonly weights: WeightFiles;
  /**
   * Compile-time values already read, by the proto value they came from: a program run many
   * times reads its weight file once. Ops never write into their inputs, so sharing is safe.
   */
  readonly constants: WeakMap<MILSpec.Value, MilTensor>;
  /** Declared types already read, by the proto type they came from (the function's inputs are checked against them on every run). */
  readonly specs: WeakMap<MILSpec.ValueType, TensorSpec>;
  /** Each operation's plan, made on its first run. */
  readonly plans: WeakMap<MILSpec.Operation, OperationPlan>;
  /** Per block, the values each of its operations finishes (see execute.ts). */
  readonly lifetimes: WeakMap<MILSpec.Block, readonly (readonly string[])[]>;
  /** The arrays its runs compute into, reused from one run to the next. */
  readonly arrays: ArrayPool;
  /** The package, for error messages. */
  readonly file: string;
}

export function loadMlPackage(files: MlPackageFiles, file: string): LoadedMlProgram {
  const manifestBytes = files.get(MANIFEST_PATH);
  if (!manifestBytes) throw new CoremlError(MANIFEST_PATH, 'is missing: not a model package', file);
  const { modelPath } = readPackageManifest(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes), file);
  const modelBytes = files.get(modelPath);
  if (!modelBytes) throw new CoremlError(modelPath, 'the manifest names it as the root model, but the package does not hold it', file);
  const model = decodeMlmodelStrict(modelBytes, `${file}/${modelPath}`);
  const program = model.mlProgram;
  if (!program) throw new CoremlError('model', 'is not an ML Program (the only type the MIL executor runs)', file);
  if ((model.specificationVersion ?? 0) < 6)
    throw new CoremlError('specificationVersion', `ML Programs need specification 6 or later, got ${model.specificationVersion ?? 0}`, file);

  const weights = new Map<string, { path: string; blobs: ReturnType<typeof readBlobStorage> }>();
  for (const reference of weightFileReferences(program)) {
    const path = resolveModelPath(modelPath, reference, file);
    const bytes = files.get(path);
    if (!bytes) throw new CoremlError(`weight file ${JSON.stringify(reference)}`, `is named by the program, but the package does not hold ${path}`, file);
    weights.set(reference, { path, blobs: readBlobStorage(bytes, `${file}/${path}`) });
  }
  return {
    model,
    program,
    weights,
    constants: new WeakMap(),
    specs: new WeakMap(),
    plans: new WeakMap(),
    lifetimes: new WeakMap(),
    arrays: new ArrayPool(),
    file,
  };
}

/** Every weight file name a value in the program refers to. */
function weightFileReferences(program: MILSpec.Program): Set<string> {
  const found = new Set<string>();
  const visitValue = (value: MILSpec.Value | undefined): void => {
    if (value?.blobFileValue) found.add(value.blobFileValue.fileName ?? '');
  };
  const visitBlock = (block: MILSpec.Block): void => {
    for (const op of block.operations ?? []) {
      Object.values(op.attributes ?? {}).forEach(visitValue);
      for (const argument of Object.values(op.inputs ?? {})) for (const binding of argument.arguments ?? []) visitValue(binding.value);
      (op.blocks ?? []).forEach(visitBlock);
    }
  };
  for (const fn of Object.values(program.functions ?? {})) Object.values(fn.block_specializations ?? {}).forEach(visitBlock);
  return found;
}
