import type { Command } from 'commander';
import { loadModelFile, MODEL_IDS } from '../models/registry.js';
import { loadGraph } from '../convert/pipeline.js';
import { formatInspect, inspectModel } from '../report/inspect.js';

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('summarize a BlazeFace TFLite model: I/O, op counts, constants, BlazeBlocks, which feature map feeds which output')
    .argument('<model>', `registry id (${MODEL_IDS.join(', ')}) or path to a .tflite file`)
    .option('--json', 'print the report as JSON (format in the README)')
    .action((ref: string, opts: { json?: boolean }) => {
      const file = loadModelFile(ref);
      const report = inspectModel(loadGraph(file.bytes, file.path), { file: file.path, model: file.entry?.id ?? null, sha256: file.sha256, bytes: file.bytes.byteLength });
      process.stdout.write(`${opts.json ? JSON.stringify(report, null, 2) : formatInspect(report)}\n`);
    });
}
