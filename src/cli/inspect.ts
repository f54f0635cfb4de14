import type { Command } from 'commander';
import { loadModelFile, MODEL_IDS } from '../models/registry.js';
import { loadModelContext } from '../convert/model-context.js';
import { formatInspect, inspectModel } from '../report/inspect.js';
import { addDetectorOptions, readDetectorOverrides, type DetectorOptionFlags } from './detector-options.js';

export function registerInspectCommand(program: Command): void {
  const command = program
    .command('inspect')
    .description('summarize a TFLite model: I/O, op counts, constants, BlazeBlocks, which feature map feeds which output, and an SSD detector\'s anchors and decoding (from the registry, or inferred from the graph and why)')
    .argument('<model>', `registry id (${MODEL_IDS.join(', ')}) or path to a .tflite file`)
    .option('--json', 'print the report as JSON (format in the README)');
  addDetectorOptions(command).action((ref: string, opts: { json?: boolean } & DetectorOptionFlags) => {
    const file = loadModelFile(ref);
    const ctx = loadModelContext(file, { overrides: readDetectorOverrides(opts) });
    const report = inspectModel(ctx.loaded, { file: file.path, model: file.entry?.id ?? null, sha256: file.sha256, bytes: file.bytes.byteLength }, ctx);
    process.stdout.write(`${opts.json ? JSON.stringify(report, null, 2) : formatInspect(report)}\n`);
  });
}
