import { BuiltinOperatorName, decodeModel, type Model, type SubGraph } from '../schema/tflite.js';
import { ReadError } from '../ir/errors.js';

/** A decoded TFLite file with each operator code resolved to its effective builtin name. */
export interface TfliteFile {
  readonly file: string;
  readonly model: Model;
  readonly subgraph: SubGraph;
  /** Effective op name per entry of `model.operatorCodes`. */
  readonly opNames: readonly string[];
  /** Data of each buffer (empty for buffer 0 and for activations). */
  readonly buffers: readonly Uint8Array[];
}

/**
 * Files written before 2021 only set the one-byte `deprecated_builtin_code`; newer readers
 * then see `builtin_code` = 0 (ADD). Newer writers set both, with the byte clamped at 127
 * (PLACEHOLDER_FOR_GREATER_OP_CODES). The larger of the two is the op in both cases.
 */
export function effectiveBuiltinCode(builtinCode: number, deprecatedBuiltinCode: number): number {
  return Math.max(builtinCode, deprecatedBuiltinCode);
}

/** `model` is `bytes` decoded, when the caller has decoded them already. */
export function readTflite(bytes: Uint8Array, file: string, model: Model = decodeModel(bytes, file)): TfliteFile {
  const subgraphs = model.subgraphs ?? [];
  const subgraph = subgraphs[0];
  if (!subgraph || subgraphs.length !== 1) throw new ReadError(file, 0, `exactly one subgraph, found ${subgraphs.length}`);
  const opNames = (model.operatorCodes ?? []).map((code) => {
    if (code.customCode !== null && code.customCode !== '') return `CUSTOM:${code.customCode}`;
    const builtin = effectiveBuiltinCode(code.builtinCode, code.deprecatedBuiltinCode);
    return BuiltinOperatorName[builtin] ?? `BUILTIN_${builtin}`;
  });
  const buffers = (model.buffers ?? []).map((buffer, index) => bufferData(bytes, file, index, buffer));
  return { file, model, subgraph, opNames, buffers };
}

/** Large models keep buffer data after the flatbuffer and point at it with offset/size. */
function bufferData(
  bytes: Uint8Array,
  file: string,
  index: number,
  buffer: { readonly data: Uint8Array | null; readonly offset: number; readonly size: number },
): Uint8Array {
  if (buffer.offset > 1) {
    if (buffer.offset + buffer.size > bytes.byteLength)
      throw new ReadError(file, buffer.offset, `buffer ${index} of ${buffer.size} bytes inside the file of ${bytes.byteLength} bytes`);
    return bytes.subarray(buffer.offset, buffer.offset + buffer.size);
  }
  return buffer.data ?? new Uint8Array(0);
}
