/**
 * ONNX Runtime for the web (onnxruntime-web, its WebAssembly backend) behind the same
 * OnnxRunner interface as onnxruntime-node, to show that every ONNX variant loads and
 * matches in a browser's runtime too. It runs in Node from the package's own .wasm files;
 * it is a dev dependency only, so nothing under src/ imports it.
 */
import { setFlagsFromString } from 'node:v8';
import * as ort from 'onnxruntime-web';
import type { OnnxRunner, OnnxTensorOutput } from '../../src/runtimes/onnxruntime/onnx-runner.js';

// One thread: browsers only allow more with cross-origin isolation, and the parity check is serial.
ort.env.wasm.numThreads = 1;

const OPTIONS: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };

/**
 * V8 runs a WebAssembly function as baseline (Liftoff) code and recompiles it with TurboFan, on
 * background threads, once it has run through a budget of about 1.8 MB of code. For
 * onnxruntime-web's 11 MB module and the few inferences a test makes, that recompiling cost more
 * CPU than the faster kernels saved: the parity test's work took 12.2 s of CPU with V8's budget
 * and 6.6 s with a thousand times that. Each module instance copies the budget when it is made,
 * so it is raised only while onnxruntime-web makes its one instance (in the first session) and
 * put back for every other module in the process: the vitest worker that runs this file also
 * runs our own WebAssembly kernels and the TFLite runtime. Liftoff and TurboFan compute the same.
 */
const ORT_TIERING_BUDGET = 1_800_000_000;
const V8_TIERING_BUDGET = Number(process.execArgv.map((a) => /^--wasm[-_]tiering[-_]budget=(\d+)$/.exec(a)?.[1]).find((v) => v !== undefined) ?? 1_800_000);

/** Settles once onnxruntime-web has made its module instance. */
let instantiated: Promise<unknown> | undefined;

function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  if (instantiated !== undefined) return instantiated.then(() => ort.InferenceSession.create(bytes, OPTIONS));
  setFlagsFromString(`--wasm-tiering-budget=${ORT_TIERING_BUDGET}`);
  const first = ort.InferenceSession.create(bytes, OPTIONS).finally(() => setFlagsFromString(`--wasm-tiering-budget=${V8_TIERING_BUDGET}`));
  instantiated = first.catch(() => undefined);
  return first;
}

export async function loadOnnxWeb(bytes: Uint8Array): Promise<OnnxRunner> {
  const session = await createSession(bytes);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor(t.data instanceof Uint8Array ? 'uint8' : 'float32', t.data, [...t.shape]);
      const results = await session.run(feeds);
      const out: Record<string, OnnxTensorOutput> = {};
      for (const [name, t] of Object.entries(results)) out[name] = { shape: t.dims, data: t.data as Float32Array };
      return out;
    },
    release: () => session.release(),
  };
}
