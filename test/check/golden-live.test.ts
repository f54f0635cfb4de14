import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenCases, readGolden, readGoldenManifest } from '../../src/check/golden.js';
import { loadTfliteReference, TFLITE_RUNTIME_VERSION, type TfliteReference } from '../../src/runtimes/tflite/tflite-runtime.js';
import { listModels, loadModelFile, modelFileAvailable, PACKAGE_ROOT } from '../../src/models/registry.js';
import { sha256Hex } from '../../src/io/sha256.js';
import { bytesOf } from '../../src/ir/dtype.js';

const manifest = readGoldenManifest();
/** Files from ../shared must exist under CI; elsewhere a missing one skips its tests. */
const present = (path: string): boolean => existsSync(path) || process.env.CI === 'true';

/** Index of the first float whose bits differ, or -1 when identical. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.findIndex((v, i) => v !== y[i]);
}

describe('golden manifest', () => {
  it('was made by the runtime we run and covers every registry model and case', () => {
    expect(manifest.runtime.version).toBe(TFLITE_RUNTIME_VERSION);
    expect(Object.keys(manifest.models).sort()).toEqual(
      listModels()
        .map((m) => m.id)
        .sort(),
    );
    for (const entry of listModels()) {
      const model = manifest.models[entry.id]!;
      expect(model.sha256).toBe(entry.sha256);
      expect(model.file).toBe(entry.file);
      expect(model.outputs.map((o) => [o.name, o.tflite])).toEqual(Object.entries(entry.outputs));
      expect(Object.keys(model.cases).sort()).toEqual(
        goldenCases(entry)
          .map((c) => c.name)
          .sort(),
      );
    }
  });

  it('lists the sha256 of every golden file', () => {
    for (const model of Object.values(manifest.models)) {
      for (const record of Object.values(model.cases)) {
        expect(Object.keys(record.outputs).sort()).toEqual(model.outputs.map((o) => o.name).sort());
        for (const { path, sha256 } of Object.values(record.outputs)) {
          expect(sha256Hex(readFileSync(join(GOLDEN_DIR, path))), path).toBe(sha256);
        }
      }
    }
  });
});

for (const entry of listModels()) {
  describe.skipIf(!modelFileAvailable(entry) && process.env.CI !== 'true')(`golden outputs of ${entry.id}`, () => {
    let reference: TfliteReference;
    beforeAll(async () => {
      reference = await loadTfliteReference(loadModelFile(entry.id).bytes, { numThreads: manifest.runtime.numThreads });
    });
    afterAll(() => reference.dispose());

    for (const goldenCase of goldenCases(entry)) {
      const source = goldenCase.sourceFile && join(PACKAGE_ROOT, goldenCase.sourceFile);
      it.skipIf(source !== undefined && !present(source))(`${goldenCase.name}: same input, same bits`, () => {
        const golden = readGolden(entry.id, goldenCase.name, manifest);
        const input = goldenCase.makeInput();
        expect(sha256Hex(bytesOf(input))).toBe(golden.record.inputSha256);
        if (source) expect(sha256Hex(readFileSync(source))).toBe(golden.record.source?.sha256);

        const result = reference.run(input);
        for (const output of golden.outputs) {
          const tensor = result.outputs.get(output.tflite)!;
          expect(tensor.shape).toEqual(output.shape);
          expect(firstBitDifference(tensor.data, golden.tensors.get(output.name)!), `${output.name}: first differing float`).toBe(-1);
        }
      });
    }
  });
}
