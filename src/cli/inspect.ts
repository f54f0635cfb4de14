import type { Command } from 'commander';
import { loadModelFile } from '../models/registry.js';
import { loadModelContext } from '../convert/model-context.js';
import { formatInspect, inspectModel } from '../report/inspect.js';
import { addOutputOptions, modelOption, UsageError, type OutputOptions } from './common.js';
import { addDetectorOptions, readDetectorOverrides, type DetectorOptionFlags } from './detector-options.js';

interface InspectOptions extends OutputOptions, DetectorOptionFlags {
  readonly model?: string;
}

export function registerInspectCommand(program: Command): void {
  const command = program
    .command('inspect')
    .description(
      "summarize a TFLite model: I/O, op counts, constants, BlazeBlocks, which feature map feeds which output, and an SSD detector's anchors and decoding (from the registry, or inferred from the graph, and why)",
    )
    .argument('[model]', 'the same as --model, kept for the form `inspect <id|path>`')
    .addOption(modelOption());
  addOutputOptions(addDetectorOptions(command)).action((positional: string | undefined, opts: InspectOptions) => {
    const ref = modelReference(positional, opts.model);
    const file = loadModelFile(ref);
    const ctx = loadModelContext(file, undefined, { overrides: readDetectorOverrides(opts) });
    const report = inspectModel(ctx.loaded, { file: file.path, model: file.entry?.id ?? null, sha256: file.sha256, bytes: file.bytes.byteLength }, ctx);
    if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (!opts.quiet) process.stdout.write(`${formatInspect(report)}\n`);
  });
}

function modelReference(positional: string | undefined, option: string | undefined): string {
  if (positional !== undefined && option !== undefined && positional !== option) {
    throw new UsageError(`the model is given twice, as '${positional}' and as --model '${option}'; give it once`);
  }
  const ref = option ?? positional;
  if (ref === undefined) throw new UsageError('give the model: --model <id|path>');
  return ref;
}
