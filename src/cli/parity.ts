import type { Command } from 'commander';
import { loadModelFile, MODEL_IDS } from '../models/registry.js';
import { loadModelContext } from '../convert/model-context.js';
import { onnxGoldenParity, type ParityRow } from '../check/onnx-parity.js';
import { layerParity, type LayerParity } from '../check/layer-parity.js';
import { goldenCases } from '../check/golden.js';
import { requireEntry } from '../convert/model-context.js';
import { BlazefaceError } from '../ir/errors.js';
import { onnxBound, PARITY_BAR } from '../models/tolerances.js';


/** The parity table; each row is flagged against `bound(row)`, the artifact's measured bound. */
export function formatParityTable(rows: readonly ParityRow[], bound: (row: ParityRow) => number): string {
  const lines = ['  case      output           max |a-b|/(1+|b|)  worst index'];
  for (const r of rows) {
    const flag = r.maxError <= bound(r) ? 'ok' : `FAIL (bound ${bound(r)})`;
    lines.push(`  ${r.case.padEnd(9)} ${r.output.padEnd(16)} ${r.maxError.toExponential(2).padStart(17)}  ${String(r.worstIndex).padStart(11)}  ${flag}`);
  }
  return lines.join('\n');
}

export function registerParityCommand(program: Command): void {
  program
    .command('parity')
    .description('compare the converted ONNX model with the golden TFLite outputs, output by output')
    .requiredOption('--model <id|path>', `registry id (${MODEL_IDS.join(', ')}) or .tflite path`)
    .option('--decode', 'check the decoded variant against golden outputs decoded in TypeScript')
    .option('--layers', 'also compare every intermediate tensor with a TypeScript evaluation of the graph and name the first node that diverges')
    .option('--case <name>', 'golden case for --layers', '1face')
    .action(async (opts: { model: string; decode?: boolean; layers?: boolean; case: string }) => {
      const ctx = loadModelContext(loadModelFile(opts.model));
      const rows = await onnxGoldenParity(ctx, { decode: opts.decode });
      const bound = (r: ParityRow) => onnxBound(r.model);
      process.stdout.write(`${ctx.file.path}\n${formatParityTable(rows, bound)}\n`);
      let failed = rows.some((r) => !(r.maxError <= bound(r)));
      if (opts.layers) {
        const goldenCase = goldenCases(requireEntry(ctx.file, '--layers')).find((c) => c.name === opts.case);
        if (!goldenCase) throw new BlazefaceError(`unknown case '${opts.case}'`, ctx.file.path);
        const layers = await layerParity(ctx, goldenCase.makeInput(), PARITY_BAR);
        process.stdout.write(`\nPer layer (${opts.case}): ONNX Runtime vs TypeScript reference evaluation of the NHWC graph\n${formatLayerTable(layers)}\n`);
        failed ||= layers.firstDivergence !== undefined;
      }
      if (failed) process.exitCode = 3;
    });
}

export function formatLayerTable(layers: LayerParity): string {
  const lines = ['  node                              op                  shape            max |a-b|/(1+|b|)'];
  for (const r of layers.rows) {
    lines.push(`  ${r.node.padEnd(33)} ${r.op.padEnd(19)} ${`[${r.shape.join(',')}]`.padEnd(16)} ${r.maxError.toExponential(2).padStart(17)}${r.maxError <= PARITY_BAR ? '' : '  <-- diverges'}`);
  }
  if (layers.notInOnnx.length > 0) lines.push(`  (${layers.notInOnnx.length} values exist only in the TFLite graph: PAD outputs folded into convolutions)`);
  lines.push(layers.firstDivergence ? `  first divergence: ${layers.firstDivergence.node} (${layers.firstDivergence.op}) at index ${layers.firstDivergence.worstIndex}: got ${layers.firstDivergence.actual}, expected ${layers.firstDivergence.expected}` : `  no node diverges beyond ${PARITY_BAR}`);
  return lines.join('\n');
}
