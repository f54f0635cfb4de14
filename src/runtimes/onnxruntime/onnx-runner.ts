import { createRequire } from 'node:module';
import type * as ortTypes from 'onnxruntime-node';
import { BlazefaceError } from '../../ir/errors.js';

/**
 * onnxruntime-node is an optional peer dependency: 288 MB, and its install script downloads
 * CUDA files on linux-x64 unless told not to. Conversion never needs it; `detect` and the ONNX
 * parity check do, and say how to get it.
 */
export const ONNX_RUNTIME_PACKAGE = 'onnxruntime-node';

/** The install command a user is told to run: the variable skips the CUDA download. */
export const ONNX_RUNTIME_INSTALL = `ONNXRUNTIME_NODE_INSTALL=skip npm install ${ONNX_RUNTIME_PACKAGE}`;

/** onnxruntime-node is not installed where this package can import it. */
export class MissingRuntimeError extends BlazefaceError {
  constructor(readonly what: string) {
    super(`${what} needs ${ONNX_RUNTIME_PACKAGE}, which is not installed: run \`${ONNX_RUNTIME_INSTALL}\` (the variable skips its CUDA download)`);
  }
}

/** Whether onnxruntime-node resolves from this package, without loading its native binding. */
export function onnxRuntimeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve(ONNX_RUNTIME_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

/** Throws MissingRuntimeError naming `what` when onnxruntime-node is not installed. */
export function requireOnnxRuntime(what: string): void {
  if (!onnxRuntimeInstalled()) throw new MissingRuntimeError(what);
}

export interface OnnxRunnerOptions {
  /** Intra-op threads; 0 lets ONNX Runtime choose. */
  readonly threads?: number;
}

export interface OnnxTensorOutput {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** An ONNX model loaded in onnxruntime-node, fed float32 or uint8 tensors by input name. */
export interface OnnxRunner {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    inputs: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array | Uint8Array }>>,
  ): Promise<Record<string, OnnxTensorOutput>>;
  release(): Promise<void>;
}

/** Loaded on first use: commands that never run a model skip the native binding's start-up. */
export async function loadOnnx(bytes: Uint8Array, options: OnnxRunnerOptions = {}): Promise<OnnxRunner> {
  requireOnnxRuntime('running an ONNX model');
  const ort = (await import('onnxruntime-node')).default as typeof ortTypes;
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: options.threads ?? 0,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds: Record<string, ortTypes.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor(t.data instanceof Uint8Array ? 'uint8' : 'float32', t.data, [...t.shape]);
      const results = await session.run(feeds);
      const out: Record<string, OnnxTensorOutput> = {};
      for (const [name, t] of Object.entries(results)) out[name] = { shape: t.dims, data: t.data as Float32Array };
      return out;
    },
    release: () => session.release(),
  };
}
