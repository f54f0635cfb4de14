/**
 * `npm run parity-table`: every registry model whose file is here, converted to every artifact
 * and run on every golden case, as one Markdown table of the worst max |a-b|/(1+|b|) per artifact
 * against the TFLite runtime's golden outputs, each with the bound the tests hold it to. Two
 * columns are not against TFLite: `ONNX vs exact` compares ONNX Runtime with the plain TypeScript
 * evaluation of the graph (float32 tensors, float64 sums), which says whether a gap to TFLite
 * is ours or TFLite's own rounding, and `layers` is the per-layer check (the first node whose
 * ONNX value is off by more than 1e-4 from that evaluation, on any case). Exit 3 when a cell is
 * over its bound, like `convert`'s parity rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coremlGoldenParity } from '../src/check/coreml-parity.js';
import { compareArrays } from '../src/check/compare.js';
import { selectGoldenCases } from '../src/check/golden.js';
import { layerParity } from '../src/check/layer-parity.js';
import { mlpackageGoldenParity } from '../src/check/mlpackage-parity.js';
import { onnxGoldenParity, type ParityRow } from '../src/check/onnx-parity.js';
import { rebuiltGoldenParity } from '../src/check/rebuild-from-weights.js';
import { convertToOnnx } from '../src/convert/convert-onnx.js';
import { convertToWeights } from '../src/convert/convert-weights.js';
import { loadModelContext, type ModelContext } from '../src/convert/model-context.js';
import { writeFilesAtomically } from '../src/io/write-files.js';
import { listModels, loadModelFile, modelFileAvailable, type ModelEntry } from '../src/models/registry.js';
import { coremlBound, mlprogramBound, onnxBound, PARITY_BAR } from '../src/models/tolerances.js';
import { loadOnnx } from '../src/runtimes/onnxruntime/onnx-runner.js';
import { evaluateGraph } from '../src/runtimes/reference/evaluate-graph.js';
import { useDevData } from './dev-data.js';

interface Cell {
  readonly worst: number;
  readonly bound: number;
}

const COLUMNS = [
  'ONNX',
  'ONNX NCHW',
  'ONNX decoded',
  'ONNX uint8 image',
  'ONNX vs exact',
  'layers',
  'Core ML raw',
  'Core ML image',
  'Core ML fp16',
  'ML Program fp32',
  'ML Program fp16',
  'weights',
  'weights fp16',
] as const;
type Column = (typeof COLUMNS)[number];

const worstOf = (rows: readonly ParityRow[]): number => rows.reduce((m, r) => Math.max(m, r.maxError), 0);

async function onnxVersusExact(ctx: ModelContext, entry: ModelEntry): Promise<number> {
  const runner = await loadOnnx(convertToOnnx(ctx, {}).bytes, { threads: 1 });
  const shape = ctx.graph.values.get('input')?.shape ?? [];
  let worst = 0;
  try {
    for (const c of selectGoldenCases(entry).cases) {
      const input = c.makeInput();
      const exact = evaluateGraph(ctx.graph, { input });
      const got = await runner.run({ input: { shape, data: input } });
      for (const [i, value] of ctx.graph.outputs.entries()) {
        const want = exact.get(value)?.data;
        const name = Object.keys(entry.outputs)[i] ?? value;
        if (want) worst = Math.max(worst, compareArrays(got[name]?.data ?? new Float32Array(0), want).maxError);
      }
    }
  } finally {
    await runner.release();
  }
  return worst;
}

async function firstDivergence(ctx: ModelContext, entry: ModelEntry): Promise<string> {
  for (const c of selectGoldenCases(entry).cases) {
    const { firstDivergence } = await layerParity(ctx, c.makeInput());
    if (firstDivergence) return `${c.name}: ${firstDivergence.node} (${firstDivergence.maxError.toExponential(2)})`;
  }
  return 'clean';
}

function rebuilt(ctx: ModelContext, entry: ModelEntry, fp16: boolean): number {
  const root = mkdtempSync(join(tmpdir(), 'blazeface-parity-table-'));
  try {
    const artifact = convertToWeights(ctx, { fp16 });
    writeFilesAtomically(
      root,
      artifact.files.map((f) => ({ name: join(artifact.folder, f.name), bytes: f.bytes })),
    );
    return worstOf(rebuiltGoldenParity(join(root, artifact.folder), entry));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function modelRow(entry: ModelEntry): Promise<{ cells: Map<Column, Cell>; layers: string }> {
  const ctx = loadModelContext(loadModelFile(entry.id));
  const detector = ctx.detector !== undefined;
  const cells = new Map<Column, Cell>();
  const onnx = onnxBound(entry.id);
  cells.set('ONNX', { worst: worstOf(await onnxGoldenParity(ctx, {})), bound: onnx });
  cells.set('ONNX NCHW', { worst: worstOf(await onnxGoldenParity(ctx, { nchw: true })), bound: onnx });
  if (detector) cells.set('ONNX decoded', { worst: worstOf(await onnxGoldenParity(ctx, { decode: true })), bound: PARITY_BAR });
  cells.set('ONNX uint8 image', { worst: worstOf(await onnxGoldenParity(ctx, { preprocess: true, decode: detector })), bound: detector ? PARITY_BAR : onnx });
  cells.set('ONNX vs exact', { worst: await onnxVersusExact(ctx, entry), bound: PARITY_BAR });
  cells.set('Core ML raw', { worst: worstOf(coremlGoldenParity(ctx, { raw: true }).rows), bound: coremlBound(entry.id, { decoded: false }) });
  cells.set('Core ML image', { worst: worstOf(coremlGoldenParity(ctx, {}).rows), bound: coremlBound(entry.id, { decoded: detector }) });
  cells.set('Core ML fp16', {
    worst: worstOf(coremlGoldenParity(ctx, { raw: true, fp16: true }).rows),
    bound: coremlBound(entry.id, { fp16: true, decoded: false }),
  });
  cells.set('ML Program fp32', {
    worst: worstOf(mlpackageGoldenParity(ctx, { raw: true, precision: 'fp32' }).rows),
    bound: mlprogramBound(entry.id, { precision: 'fp32', decoded: false }),
  });
  cells.set('ML Program fp16', {
    worst: worstOf(mlpackageGoldenParity(ctx, { raw: true, precision: 'fp16' }).rows),
    bound: mlprogramBound(entry.id, { precision: 'fp16', decoded: false }),
  });
  cells.set('weights', { worst: rebuilt(ctx, entry, false), bound: coremlBound(entry.id, { decoded: false }) });
  cells.set('weights fp16', { worst: rebuilt(ctx, entry, true), bound: coremlBound(entry.id, { fp16: true, decoded: false }) });
  return { cells, layers: await firstDivergence(ctx, entry) };
}

async function main(): Promise<void> {
  useDevData();
  const models = listModels().filter(modelFileAvailable);
  console.log(`| model | ${COLUMNS.join(' | ')} |`);
  console.log(`|---|${COLUMNS.map(() => '---').join('|')}|`);
  let over = 0;
  for (const entry of models) {
    const started = performance.now();
    const { cells, layers } = await modelRow(entry);
    const text = COLUMNS.map((column) => {
      if (column === 'layers') return layers;
      const cell = cells.get(column);
      if (!cell) return 'n/a';
      const ok = cell.worst <= cell.bound;
      if (!ok) over++;
      return `${cell.worst.toExponential(2)}${cell.bound === PARITY_BAR ? '' : ` (≤${cell.bound})`}${ok ? '' : ' **FAIL**'}`;
    });
    if (layers !== 'clean') over++;
    console.log(`| ${entry.id} | ${text.join(' | ')} |`);
    console.error(`${entry.id}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(
    `\nWorst max |a-b|/(1+|b|) over every golden case here; a bound in brackets is the measured one the tests hold that cell to (otherwise ${PARITY_BAR}).`,
  );
  if (over > 0) process.exitCode = 3;
}

await main();
