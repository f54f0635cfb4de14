import { coremlGoldenParity } from '../check/coreml-parity.js';
import type { GoldenCase } from '../check/golden.js';
import type { ParityObserver } from '../check/onnx-parity.js';
import type { LayerParity } from '../check/layer-parity.js';
import { mlpackageGoldenParity } from '../check/mlpackage-parity.js';
import { goldenPictures, observeRun, runHistograms, type ObservedRun } from '../check/report-data.js';
import type { ModelContext } from '../convert/model-context.js';
import { writeFileAtomically } from '../io/write-files.js';
import type { LoadedModelFile, ModelEntry } from '../models/registry.js';
import { PARITY_BAR } from '../models/tolerances.js';
import { parityHtml } from '../report/parity-html.js';
import type { Printer } from './common.js';
import type { ParityJson } from './parity-table.js';

export interface ParityReport {
  readonly ctx: ModelContext;
  readonly file: LoadedModelFile;
  readonly entry: ModelEntry;
  readonly cases: readonly GoldenCase[];
  readonly parity: ParityJson;
  readonly onnxRun: ObservedRun;
  readonly layers: LayerParity;
  readonly layersCase: string;
}

/** What the report needs of the ONNX run: its observer goes to the parity check, its run to the report. */
export function observeOnnxRun(): { readonly observer: ParityObserver; readonly run: ObservedRun } {
  return observeRun('ONNX on onnxruntime-node');
}

/** Writes parity's `--html` report to `target` and says so. */
export async function writeParityHtml(target: string, report: ParityReport, printer: Printer): Promise<void> {
  const { ctx, entry, file, layers, parity } = report;
  // The Core ML artifacts `convert` writes by default, run on the image cases only for the
  // pictures: this command checks the ONNX model, so their rows are not part of the verdict.
  const imageCases = report.cases.filter((c) => c.pixels);
  const coreml = observeRun('Core ML (.mlmodel) on the reference executor');
  coremlGoldenParity(ctx, {}, undefined, undefined, imageCases, coreml.observer);
  const mlprogram = observeRun('ML Program (.mlpackage, fp16) on the MIL executor');
  mlpackageGoldenParity(ctx, {}, undefined, undefined, imageCases, mlprogram.observer);
  const html = parityHtml({
    title: `${entry.id}: ${parity.artifact} vs TFLite`,
    model: { id: entry.id, file: file.path, sha256: file.sha256 },
    tables: [{ artifact: parity.artifact, runtime: parity.runtime, rows: parity.rows }],
    histograms: runHistograms(report.onnxRun),
    layers: { case: report.layersCase, tolerance: PARITY_BAR, rows: layers.rows, firstDivergence: layers.firstDivergence?.node },
    pictures: await goldenPictures(ctx, report.cases, [report.onnxRun, coreml.run, mlprogram.run]),
    skipped: printer.skipped,
  });
  writeFileAtomically(target, html);
  printer.line(`wrote ${target}`);
}
