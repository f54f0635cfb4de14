/**
 * Lowers an IR graph (after the portable target passes: NCHW activations, final weight layouts)
 * to a Core ML ML Program and returns the files of its `.mlpackage`. Pure: no file system.
 *
 * The program is one function, `main`, in the iOS 15 opset (CoreML5, specification 6). Inputs
 * and outputs are float32, as specification 6 requires of multi-arrays; with float16 precision
 * every float tensor in between is float16: the inputs are cast once after the image scaling
 * and the outputs cast back at the end, as coremltools does. An image input is a float32
 * tensor [1,3,H,W] of 0..255 pixels in the program, scaled by `mul`/`add` operations (an ML
 * Program has no preprocessing field).
 */
import { encodeMlmodel } from '../../coreml/schema.js';
import type { FeatureDescription, Metadata, MILSpec, Model } from '../../coreml/types.js';
import { MANIFEST_PATH, MODEL_PATH, WEIGHT_FILE_PATH, packageManifest } from '../../coreml/mlpackage.js';
import { EmitError } from '../../ir/errors.js';
import type { AnyNode, Graph, Value, ValueId } from '../../ir/graph.js';
import type { MilLoweringContext } from './lowering.js';
import { lowerToMil } from './op-lowerings.js';
import { ProgramBuilder, tensorType } from './program-builder.js';

/** Specification 6: iOS 15, macOS 12, the first with ML Programs. */
export const MLPROGRAM_SPECIFICATION_VERSION = 6;
/** The MIL opset of iOS 15; every op we emit exists in it. */
export const MLPROGRAM_OPSET = 'CoreML5';
export const MLPROGRAM_FUNCTION = 'main';

export type MlProgramPrecision = 'fp16' | 'fp32';

/** Each channel becomes scale * pixel + bias, as the NeuralNetwork image scaler does. */
export interface MlProgramImageInput {
  readonly scale: number;
  readonly bias: number;
}

export interface MlProgramEmitOptions {
  /** Float tensors and stored weights as float16 (default) or float32. */
  readonly precision?: MlProgramPrecision;
  /** Make the single graph input, NCHW [1,3,H,W], an RGB image scaled by scale * pixel + bias. */
  readonly imageInput?: MlProgramImageInput;
  /** Model metadata; `userDefined` is written sorted by key so output is byte-stable. */
  readonly metadata: Metadata;
  /** shortDescription of inputs and outputs, by name. */
  readonly featureDescriptions?: Readonly<Record<string, string>>;
}

export interface MlPackageFile {
  /** Path inside the `.mlpackage` folder, `/`-separated. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface MlProgramEmitReport {
  readonly specificationVersion: number;
  readonly opset: string;
  readonly precision: MlProgramPrecision;
  /** Operations in the program, const ops included. */
  readonly operations: number;
  /** Operation count by MIL op type, sorted by type. */
  readonly opTypes: Readonly<Record<string, number>>;
  /** Stored constant elements (weight file and in place). */
  readonly parameters: number;
  readonly weightFileBytes: number;
}

export interface MlProgramArtifact {
  /** Manifest.json, the model specification and the weight file, in that order. */
  readonly files: readonly MlPackageFile[];
  readonly report: MlProgramEmitReport;
}

export function emitMlProgram(graph: Graph, options: MlProgramEmitOptions): MlProgramArtifact {
  const precision = options.precision ?? 'fp16';
  const builder = new ProgramBuilder();
  const names = new Map<ValueId, string>();
  let current: AnyNode | undefined;

  /** Intermediate values of multi-op lowerings, by the id `temp` gave them. */
  const temps = new Map<ValueId, Value>();
  const value = (id: ValueId): Value => {
    const found = temps.get(id) ?? graph.values.get(id);
    if (!found) throw new EmitError('mlprogram', `node ${current?.name ?? '(inputs)'} reads unknown value ${id}`);
    if (found.dtype !== 'float32') throw new EmitError('mlprogram', `${id} is ${found.dtype}; the program's tensors are float32 in the IR`);
    return found;
  };

  const functionInputs: MILSpec.NamedValueType[] = graph.inputs.map((id) => {
    const input = value(id);
    const name = builder.claim(id);
    let x = name;
    const image = options.imageInput;
    if (image) {
      checkImageInput(graph, input);
      x = scaleImage(builder, x, input.shape, image);
    }
    if (precision === 'fp16') x = cast(builder, x, input.shape, 'fp16');
    names.set(id, x);
    return { name, type: tensorType('fp32', input.shape) };
  });
  // Claimed up front so that no operation inside takes a model output's name.
  for (const id of graph.outputs) builder.claim(id);

  const ctx: MilLoweringContext = {
    value,
    ref(id) {
      const known = names.get(id);
      if (known) return known;
      const constant = value(id);
      if (!(constant.data instanceof Float32Array))
        throw new EmitError('mlprogram', `node ${current?.name}: ${id} is neither computed earlier nor a float32 constant`);
      const name = builder.floats(id, constant.data, constant.shape, precision);
      names.set(id, name);
      return name;
    },
    floats: (hint, data, shape) => builder.floats(hint, data, shape, precision),
    float: (hint, v) => builder.floats(hint, Float32Array.of(v), [], precision),
    ints: (hint, values, shape) => builder.ints(hint, values, shape),
    int: (hint, v) => builder.ints(hint, [v], []),
    bool: (hint, v) => builder.bool(hint, v),
    string: (hint, v) => builder.string(hint, v),
    temp(hint, shape) {
      let id = `${current?.name ?? 'temp'}_${hint}`;
      for (let i = 1; temps.has(id) || graph.values.has(id); i++) id = `${current?.name ?? 'temp'}_${hint}_${i}`;
      temps.set(id, { id, dtype: 'float32', shape, layout: '?'.repeat(shape.length) });
      return id;
    },
    op(type, inputs, outputs) {
      const typed = outputs.map((id) => {
        if (names.has(id)) throw new EmitError('mlprogram', `node ${current?.name}: value ${id} is produced twice`);
        const isModelOutput = graph.outputs.includes(id);
        const name =
          isModelOutput && precision === 'fp32' ? id : builder.unique(isModelOutput ? `${id}_fp16` : outputs.length === 1 ? (current?.name ?? id) : id);
        names.set(id, name);
        return { name, type: precision, shape: value(id).shape };
      });
      builder.op(type, inputs, typed);
    },
  };

  for (const node of graph.nodes) {
    current = node;
    lowerToMil(node, ctx);
  }
  current = undefined;

  for (const id of graph.outputs) {
    const produced = names.get(id);
    if (!produced) throw new EmitError('mlprogram', `output ${id} is not produced by any node`);
    if (precision === 'fp16')
      builder.op('cast', { x: produced, dtype: builder.string(`${id}_dtype`, 'fp32') }, [{ name: id, type: 'fp32', shape: value(id).shape }]);
  }

  const describe = (id: string): FeatureDescription => {
    const shortDescription = options.featureDescriptions?.[id];
    return { name: id, ...(shortDescription ? { shortDescription } : {}) };
  };
  const model: Model = {
    specificationVersion: MLPROGRAM_SPECIFICATION_VERSION,
    description: {
      input: graph.inputs.map((id) => {
        const [, , height, width] = value(id).shape;
        return options.imageInput
          ? { ...describe(id), type: { imageType: { width, height, colorSpace: 'RGB' } } }
          : { ...describe(id), type: { multiArrayType: { shape: [...value(id).shape], dataType: 'FLOAT32' } } };
      }),
      output: graph.outputs.map((id) => ({ ...describe(id), type: { multiArrayType: { shape: [...value(id).shape], dataType: 'FLOAT32' } } })),
      metadata: { ...options.metadata, userDefined: sortedRecord(options.metadata.userDefined ?? {}) },
    },
    mlProgram: {
      version: 1,
      functions: {
        [MLPROGRAM_FUNCTION]: {
          inputs: functionInputs,
          opset: MLPROGRAM_OPSET,
          block_specializations: { [MLPROGRAM_OPSET]: { outputs: [...graph.outputs], operations: builder.operations } },
        },
      },
    },
  };

  const modelBytes = encodeMlmodel(model);
  const weights = builder.weights.finish();
  const manifest = new TextEncoder().encode(packageManifest(modelBytes, weights));
  return {
    files: [
      { path: MANIFEST_PATH, bytes: manifest },
      { path: MODEL_PATH, bytes: modelBytes },
      { path: WEIGHT_FILE_PATH, bytes: weights },
    ],
    report: {
      specificationVersion: MLPROGRAM_SPECIFICATION_VERSION,
      opset: MLPROGRAM_OPSET,
      precision,
      operations: builder.operations.length,
      opTypes: countTypes(builder.operations),
      parameters: builder.parameters,
      weightFileBytes: weights.byteLength,
    },
  };
}

function checkImageInput(graph: Graph, input: Value): void {
  const [n, c, height, width] = input.shape;
  if (graph.inputs.length !== 1 || input.layout !== 'NCHW' || input.shape.length !== 4 || n !== 1 || c !== 3 || !height || !width) {
    throw new EmitError('mlprogram', `an image input must be the only input, NCHW [1,3,H,W]; ${input.id} is ${input.layout} [${input.shape.join(',')}]`);
  }
}

/** scale * pixel + bias on every channel, in float32 before any cast, like the NeuralNetwork scaler. */
function scaleImage(builder: ProgramBuilder, x: string, shape: readonly number[], image: MlProgramImageInput): string {
  const scaled = builder.unique(`${x}_scaled`);
  builder.op('mul', { x, y: builder.floats(`${x}_scale`, Float32Array.of(image.scale), [], 'fp32') }, [{ name: scaled, type: 'fp32', shape }]);
  const biased = builder.unique(`${x}_biased`);
  builder.op('add', { x: scaled, y: builder.floats(`${x}_bias`, Float32Array.of(image.bias), [], 'fp32') }, [{ name: biased, type: 'fp32', shape }]);
  return biased;
}

function cast(builder: ProgramBuilder, x: string, shape: readonly number[], to: 'fp16'): string {
  const out = builder.unique(`${x}_to_${to}`);
  builder.op('cast', { x, dtype: builder.string(`${x}_dtype`, to) }, [{ name: out, type: to, shape }]);
  return out;
}

function countTypes(operations: readonly MILSpec.Operation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of operations) counts[op.type ?? ''] = (counts[op.type ?? ''] ?? 0) + 1;
  return Object.fromEntries(
    Object.keys(counts)
      .sort()
      .map((type) => [type, counts[type] as number]),
  );
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key] as string]),
  );
}
