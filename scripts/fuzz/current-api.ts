import { BlazefaceError } from '../../src/ir/errors.js';
import { sha256Hex } from '../../src/io/sha256.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { convertToCoreml } from '../../src/convert/convert-coreml.js';
import { convertToWeights } from '../../src/convert/convert-weights.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import type { FuzzApi } from './pipeline-fuzz.js';

/** The fuzz harness's view of this checkout: every format that needs no registry entry. */
export const CURRENT_API: FuzzApi = {
  convert(bytes, name) {
    const ctx = loadModelContext({ path: name, name: 'fuzz', bytes, sha256: sha256Hex(bytes) });
    const onnx = [convertToOnnx(ctx).bytes, convertToOnnx(ctx, { nchw: true }).bytes];
    convertToCoreml(ctx, { raw: true });
    convertToWeights(ctx);
    return onnx;
  },
  async loadInOnnxRuntime(bytes) {
    const runner = await loadOnnx(bytes, { threads: 1 });
    await runner.release();
  },
  isTyped: (error) => error instanceof BlazefaceError,
};
