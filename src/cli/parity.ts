import type { Command } from 'commander';
import { loadModelFile } from '../models/registry.js';
import { loadModelContext, requireEntry } from '../convert/model-context.js';
import { onnxGoldenParity, type ParityRow } from '../check/onnx-parity.js';
import type { LayerParity } from '../check/layer-parity.js';
import { describeSkippedCases, selectGoldenCases } from '../check/golden.js';
import { BlazefaceError } from '../ir/errors.js';
import { requireOnnxRuntime } from '../runtimes/onnxruntime/onnx-runner.js';
import { onnxBound, PARITY_BAR } from '../models/tolerances.js';
import { addOutputOptions, EXIT, modelOption, Printer, type OutputOptions } from './common.js';
import { formatParityTable, parityJson } from './parity-table.js';

interface ParityOptions extends OutputOptions {
  readonly model: string;
  readonly decode?: boolean;
  readonly layers?: boolean;
  readonly case?: string;
  readonly html?: string;
}

export function registerParityCommand(program: Command): void {
  const command = program
    .command('parity')
    .description('compare the converted ONNX model with the golden TFLite outputs, output by output (needs onnxruntime-node)')
    .addOption(modelOption({ required: true }))
    .option('--decode', 'check the decoded variant against golden outputs decoded in TypeScript')
    .option('--layers', 'also compare every intermediate tensor with a TypeScript evaluation of the graph and name the first node that diverges')
    .option('--case <name>', 'check this golden case only (--layers: the case it runs; default 1face, else the first one available)')
    .option(
      '--html <file>',
      "also write a self-contained HTML report: output table, the detections (or landmarks) of ONNX, Core ML and ML Program beside TFLite's on the golden images, the per-layer error plot (implies --layers), error histograms",
    );
  addOutputOptions(command)
    .addHelpText('after', '\nExit status: 0 every row ok, 2 bad input or usage (or onnxruntime-node missing), 3 a row failed or a layer diverged.')
    .action(async (opts: ParityOptions) => {
      requireOnnxRuntime('parity');
      const file = loadModelFile(opts.model);
      const entry = requireEntry(file, 'parity');
      // Refuses an unknown --case, listing the known ones, before anything is printed.
      const selection = selectGoldenCases(entry, { only: opts.case });
      if (selection.cases.length === 0) {
        throw new BlazefaceError(`no golden case can be checked here: ${describeSkippedCases(selection.skipped)}`, entry.id);
      }
      const printer = new Printer(opts);
      const ctx = loadModelContext(file);
      // The layer check and the HTML report (the reference executors, Core ML, drawing) are imported when asked for.
      const htmlReport = opts.html === undefined ? undefined : await import('./parity-report.js');
      const onnxRun = htmlReport?.observeOnnxRun();
      const rows = await onnxGoldenParity(ctx, { decode: opts.decode }, undefined, undefined, selection.cases, undefined, onnxRun?.observer);
      const bound = (r: ParityRow) => onnxBound(r.model);
      const report = parityJson(`${entry.id}${opts.decode ? ' decoded' : ''} ONNX`, 'onnxruntime-node', rows, bound);
      printer.line(`${file.path}\n${formatParityTable(rows, bound)}`);
      if (selection.skipped.length > 0) printer.skip(`golden cases ${describeSkippedCases(selection.skipped)}`);
      for (const row of report.rows)
        if (!row.ok) printer.failure(`FAIL ${report.artifact} ${row.case} ${row.output}: max |a-b|/(1+|b|) ${row.maxError} > bound ${row.bound}`);
      let layers: LayerParity | undefined;
      let layersCase: string | undefined;
      if (opts.layers || opts.html !== undefined) {
        const goldenCase = selection.cases.find((c) => c.name === (opts.case ?? '1face')) ?? selection.cases[0]!;
        layersCase = goldenCase.name;
        const { layerParity } = await import('../check/layer-parity.js');
        layers = await layerParity(ctx, goldenCase.makeInput(), PARITY_BAR);
        printer.line(`\nPer layer (${goldenCase.name}): ONNX Runtime vs TypeScript reference evaluation of the NHWC graph\n${formatLayerTable(layers)}`);
        const d = layers.firstDivergence;
        if (d) printer.failure(`FAIL first divergence: ${d.node} (${d.op}) at index ${d.worstIndex}: got ${d.actual}, expected ${d.expected}`);
      }
      const ok = report.ok && layers?.firstDivergence === undefined;
      if (opts.html !== undefined && htmlReport && onnxRun && layers && layersCase !== undefined) {
        await htmlReport.writeParityHtml(
          opts.html,
          { ctx, file, entry, cases: selection.cases, parity: report, onnxRun: onnxRun.run, layers, layersCase },
          printer,
        );
      }
      printer.json({
        model: { id: entry.id, file: file.path, sha256: file.sha256 },
        parity: report,
        ...(layers && { layers: { case: layersCase, rows: layers.rows, firstDivergence: layers.firstDivergence ?? null, notInOnnx: layers.notInOnnx } }),
        skipped: printer.skipped,
        ok,
      });
      if (!ok) process.exitCode = EXIT.parityFailure;
    });
}

export function formatLayerTable(layers: LayerParity): string {
  const lines = ['  node                              op                  shape            max |a-b|/(1+|b|)'];
  for (const r of layers.rows) {
    lines.push(
      `  ${r.node.padEnd(33)} ${r.op.padEnd(19)} ${`[${r.shape.join(',')}]`.padEnd(16)} ${r.maxError.toExponential(2).padStart(17)}${r.maxError <= PARITY_BAR ? '' : '  <-- diverges'}`,
    );
  }
  if (layers.notInOnnx.length > 0) lines.push(`  (${layers.notInOnnx.length} values exist only in the TFLite graph: PAD outputs folded into convolutions)`);
  lines.push(
    layers.firstDivergence
      ? `  first divergence: ${layers.firstDivergence.node} (${layers.firstDivergence.op}) at index ${layers.firstDivergence.worstIndex}: got ${layers.firstDivergence.actual}, expected ${layers.firstDivergence.expected}`
      : `  no node diverges beyond ${PARITY_BAR}`,
  );
  return lines.join('\n');
}
