/**
 * ONNX Runtime for the web (onnxruntime-web, its WebAssembly backend) behind the same
 * OnnxRunner interface as onnxruntime-node, to show that every ONNX variant loads and
 * matches in a browser's runtime too. It runs in Node from the package's own .wasm files;
 * it is a dev dependency only, so nothing under src/ imports it.
 */
import * as ort from 'onnxruntime-web';
import type { OnnxRunner, OnnxTensorOutput } from '../../src/runtimes/onnxruntime/onnx-runner.js';

// One thread: browsers only allow more with cross-origin isolation, and the parity check is serial.
ort.env.wasm.numThreads = 1;

export async function loadOnnxWeb(bytes: Uint8Array): Promise<OnnxRunner> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
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
