/**
 * `npm run golden`: runs the real TFLite interpreter on every registry model for every golden
 * case (src/check/golden.ts) and writes `golden/<model>/<case>.<output>.f32` plus
 * `golden/manifest.json`. Everything is computed before anything is written, each file is
 * replaced atomically, and the manifest has sorted keys and no timestamps, so a re-run on the
 * same inputs gives byte-identical files. Timings go to stdout only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  GOLDEN_DIR,
  GOLDEN_MANIFEST,
  goldenCases,
  type GoldenCaseRecord,
  type GoldenFileRecord,
  type GoldenManifest,
  type GoldenModelRecord,
} from '../src/check/golden.js';
import { loadTfliteReference, TFLITE_RUNTIME_VERSION } from '../src/runtimes/tflite/tflite-runtime.js';
import { BlazefaceError } from '../src/ir/errors.js';
import { listModels, loadModelFile, PACKAGE_ROOT, type ModelEntry } from '../src/models/registry.js';
import { sha256Hex } from '../src/io/sha256.js';
import { bytesOf } from '../src/ir/dtype.js';
import { useDevData } from './dev-data.js';

const NUM_THREADS = 1;

interface PendingFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

async function goldenForModel(entry: ModelEntry, pending: PendingFile[]): Promise<GoldenModelRecord> {
  const model = loadModelFile(entry.id);
  const loadStart = performance.now();
  const reference = await loadTfliteReference(model.bytes, { numThreads: NUM_THREADS });
  const loadMs = performance.now() - loadStart;
  try {
    // Registry outputs in order: our name -> the TFLite tensor the interpreter reports.
    const outputs = Object.entries(entry.outputs);
    for (const [, tflite] of outputs) {
      if (!reference.outputNames.includes(tflite)) {
        throw new BlazefaceError(`the interpreter reports outputs ${reference.outputNames.join(', ')}, the registry expects ${tflite}`, model.path);
      }
    }
    const shapes = new Map<string, readonly number[]>();
    const cases: Record<string, GoldenCaseRecord> = {};
    const runMs: number[] = [];
    for (const goldenCase of goldenCases(entry)) {
      const input = goldenCase.makeInput();
      const runStart = performance.now();
      const result = reference.run(input);
      runMs.push(performance.now() - runStart);
      const files: Record<string, GoldenFileRecord> = {};
      for (const [name, tflite] of outputs) {
        const tensor = result.outputs.get(tflite)!;
        shapes.set(name, tensor.shape);
        const bytes = bytesOf(tensor.data);
        const path = `${entry.id}/${goldenCase.name}.${name}.f32`;
        pending.push({ path, bytes });
        files[name] = { path, sha256: sha256Hex(bytes) };
      }
      cases[goldenCase.name] = {
        description: goldenCase.description,
        ...(goldenCase.sourceFile && {
          source: { file: goldenCase.sourceFile, sha256: sha256Hex(readFileSync(join(PACKAGE_ROOT, goldenCase.sourceFile))) },
        }),
        inputSha256: sha256Hex(bytesOf(input)),
        outputs: files,
      };
    }
    // The first run also packs the weights for XNNPACK, so it is reported on its own.
    const [first = 0, ...rest] = runMs;
    const mean = rest.reduce((a, b) => a + b, 0) / Math.max(rest.length, 1);
    console.log(
      `${entry.id}: load ${loadMs.toFixed(0)} ms, first run ${first.toFixed(1)} ms, ` +
        `then mean ${mean.toFixed(1)} ms over ${rest.length} runs (min ${Math.min(...rest).toFixed(1)} ms)`,
    );
    return {
      file: entry.file,
      sha256: model.sha256,
      input: { shape: reference.inputShape },
      outputs: outputs.map(([name, tflite]) => ({ name, tflite, shape: shapes.get(name) ?? [] })),
      cases,
    };
  } finally {
    reference.dispose();
  }
}

/** JSON with object keys sorted at every level, two-space indent, final newline. */
function stableJson(value: unknown): string {
  const sortKeys = (_key: string, v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v;
  return `${JSON.stringify(value, sortKeys, 2)}\n`;
}

/** Writes beside the target and renames, so a reader never sees half a file. */
function writeAtomically(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}

/** Removes `.f32` files under golden/ that this run did not produce (renamed or dropped cases). */
function removeStale(produced: ReadonlySet<string>): void {
  if (!existsSync(GOLDEN_DIR)) return;
  for (const folder of readdirSync(GOLDEN_DIR, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(GOLDEN_DIR, folder.name))) {
      const path = `${folder.name}/${file}`;
      if (file.endsWith('.f32') && !produced.has(path)) rmSync(join(GOLDEN_DIR, path));
    }
  }
}

async function main(): Promise<void> {
  const files: PendingFile[] = [];
  const models: Record<string, GoldenModelRecord> = {};
  for (const entry of listModels()) models[entry.id] = await goldenForModel(entry, files);
  const manifest: GoldenManifest = {
    format: 'raw little-endian float32, row-major in the TFLite output shape; file <model>/<case>.<output>.f32',
    runtime: { name: 'TFLite interpreter (TFLite Web API, WASM, XNNPACK)', version: TFLITE_RUNTIME_VERSION, numThreads: NUM_THREADS },
    models,
  };
  for (const file of files) writeAtomically(join(GOLDEN_DIR, file.path), file.bytes);
  removeStale(new Set(files.map((f) => f.path)));
  writeAtomically(GOLDEN_MANIFEST, stableJson(manifest));
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  console.log(`${TFLITE_RUNTIME_VERSION}: wrote ${files.length} files, ${total} bytes, and golden/manifest.json`);
}

useDevData();
main().catch((error: unknown) => {
  console.error(`error: ${error instanceof BlazefaceError ? error.describe() : String(error)}`);
  process.exitCode = 1;
});
