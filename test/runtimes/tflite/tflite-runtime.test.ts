import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfliteReference, TFLITE_RUNTIME_VERSION, type TfliteReference } from '../../../src/runtimes/tflite/tflite-runtime.js';
import { BlazefaceError, InputError } from '../../../src/ir/errors.js';
import { listModels, loadModelFile, modelFileAvailable } from '../../../src/models/registry.js';

/** Index of the first float whose bits differ (NaN and -0 included), or -1 when identical. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.findIndex((v, i) => v !== y[i]);
}

/** A plain loop: Float32Array.from with a mapper took a tenth of the file's time. */
function sinInput(length: number): Float32Array {
  const input = new Float32Array(length);
  for (let i = 0; i < length; i++) input[i] = Math.sin(0.001 * i);
  return input;
}

describe('TFLITE_RUNTIME_VERSION', () => {
  it('names the package version and the WASM build', () => {
    expect(TFLITE_RUNTIME_VERSION).toBe('@tensorflow/tfjs-tflite@0.0.1-alpha.10 (tflite_web_api_cc_simd)');
  });
});

for (const entry of listModels()) {
  // front/back come from ../shared: a missing file fails under CI and skips elsewhere.
  const available = modelFileAvailable(entry) || process.env.CI === 'true';
  describe.skipIf(!available)(`TFLite reference on ${entry.id}`, () => {
    let reference: TfliteReference;
    const inputLength = entry.input.width * entry.input.height * 3;

    beforeAll(async () => {
      reference = await loadTfliteReference(loadModelFile(entry.id).bytes);
    });
    afterAll(() => reference.dispose());

    it('reports the NHWC input shape and the TFLite output names in model order', () => {
      expect(reference.inputShape).toEqual([1, entry.input.height, entry.input.width, 3]);
      expect(reference.outputNames).toEqual(Object.values(entry.outputs));
    });

    it('gives finite outputs of the declared shapes (a detector [1,N,4+2K] and [1,N,1]), and repeats bit-exactly', () => {
      const input = sinInput(inputLength);
      const first = reference.run(input);
      for (const name of reference.outputNames) {
        const tensor = first.outputs.get(name)!;
        expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
        expect(tensor.data.every(Number.isFinite), name).toBe(true);
      }
      const decoding = entry.decoding;
      if (decoding) {
        const n = decoding.num_boxes;
        const scores = first.outputs.get(entry.outputs.classificators ?? '');
        expect(first.outputs.get(entry.outputs.regressors ?? '')?.shape).toEqual([1, n, decoding.num_coords]);
        expect(scores?.shape).toEqual([1, n, 1]);
        // A constant output would mean the input never reached the interpreter.
        expect(new Set(scores?.data).size).toBeGreaterThan(n / 2);
      }

      reference.run(new Float32Array(inputLength)); // a different input in between
      const second = reference.run(input);
      for (const name of reference.outputNames) {
        expect(firstBitDifference(second.outputs.get(name)!.data, first.outputs.get(name)!.data)).toBe(-1);
      }
    });

    it('gives the same bits from a second interpreter on the same model', async () => {
      const input = sinInput(inputLength);
      const other = await loadTfliteReference(loadModelFile(entry.id).bytes);
      try {
        const a = reference.run(input);
        const b = other.run(input);
        for (const name of reference.outputNames) {
          expect(firstBitDifference(b.outputs.get(name)!.data, a.outputs.get(name)!.data)).toBe(-1);
        }
      } finally {
        other.dispose();
      }
    });

    it('rejects an input of the wrong length', () => {
      expect(() => reference.run(new Float32Array(inputLength - 1))).toThrow(InputError);
    });
  });
}

describe('TFLite reference lifecycle', () => {
  it('removes its worker globals once the WASM module has loaded', async () => {
    await loadTfliteReference(loadModelFile('short_range').bytes).then((r) => r.dispose());
    expect('importScripts' in globalThis).toBe(false);
    expect('self' in globalThis).toBe(false);
    expect('location' in globalThis).toBe(false);
    expect(typeof MessageChannel).toBe('function');
  });

  it('refuses to run after dispose', async () => {
    const reference = await loadTfliteReference(loadModelFile('short_range').bytes);
    reference.dispose();
    expect(() => reference.run(new Float32Array(128 * 128 * 3))).toThrow(/disposed/);
  });

  it('reports a model the interpreter cannot read', async () => {
    await expect(loadTfliteReference(new Uint8Array(64))).rejects.toThrow(BlazefaceError);
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(loadTfliteReference(new Uint8Array(8), { numThreads: 0 })).rejects.toThrow(InputError);
  });
});
