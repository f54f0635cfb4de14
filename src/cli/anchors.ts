import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { anchorsToFloat32 } from '../anchors/anchor.js';
import { DEFAULT_MAX_ANCHORS, generateAnchors } from '../anchors/generate-anchors.js';
import { parseJsonFile } from '../io/json.js';
import { parseCount } from './numbers.js';
import { modelAnchorOptions } from '../models/anchor-tables.js';
import type { AnchorOptions } from '../anchors/options.js';
import { anchorOptionsFromJson } from '../anchors/options-json.js';
import { ANCHOR_FORMATS, anchorFormatForPath, encodeAnchors, type AnchorFormat } from '../anchors/write-anchors.js';
import { BlazefaceError, RegistryError } from '../ir/errors.js';
import { writeFileAtomically } from '../io/write-files.js';
import { getModel, loadModelFile, MODEL_IDS } from '../models/registry.js';
import { loadModelContext } from '../convert/model-context.js';
import { addOutputOptions, modelOption, UsageError, type OutputOptions } from './common.js';
import { sha256Hex } from '../io/sha256.js';

interface AnchorsCommandOptions extends OutputOptions {
  readonly model?: string;
  readonly config?: string;
  readonly out?: string;
  readonly maxAnchors: number;
}

/** What the command computed, as `--json` prints it. */
interface AnchorsResult {
  readonly count: number;
  /** sha256 of the written bytes, or without --out of the raw float32 table. */
  readonly sha256: string;
  readonly format: AnchorFormat;
  readonly out: string | null;
}

/** `blazeface anchors`: the anchor table of a registry model or of an options file. */
export function registerAnchorsCommand(program: Command): void {
  const command = program
    .command('anchors')
    .description("generate a model's SSD anchor table exactly as MediaPipe's SsdAnchorsCalculator does")
    .addOption(modelOption().conflicts('config'))
    .option('--config <file.json>', 'SsdAnchorsCalculatorOptions as a JSON object with MediaPipe field names')
    .option('--out <file>', `write the table; the extension picks the format (${ANCHOR_FORMATS.map((f) => `.${f}`).join(', ')})`)
    .option('--max-anchors <n>', 'refuse options that make more anchors than this', parseCount, DEFAULT_MAX_ANCHORS);
  addOutputOptions(command)
    .addHelpText('after', '\nPrints the anchor count and the sha256 of the written bytes (without --out: of the raw float32 table).')
    .action((opts: AnchorsCommandOptions) => {
      if (opts.model === undefined && opts.config === undefined) throw new UsageError('give --model <id|path> or --config <file.json>');
      const result = runAnchors(opts);
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (!opts.quiet) process.stdout.write(`${describe(result)}\n`);
    });
}

/** Generates the table and writes it when asked. */
function runAnchors(opts: AnchorsCommandOptions): AnchorsResult {
  // Check the output name before any work so a typo costs nothing and leaves no file.
  const format: AnchorFormat = opts.out === undefined ? 'bin' : formatFor(opts.out);
  const options = opts.config !== undefined ? readConfig(opts.config) : modelOptions(opts.model!);
  const anchors = generateAnchors(options, opts.maxAnchors);
  const bytes = encodeAnchors(anchorsToFloat32(anchors), format);
  if (opts.out !== undefined) {
    try {
      writeFileAtomically(opts.out, bytes);
    } catch (e) {
      throw new BlazefaceError(`cannot write the table: ${(e as Error).message}`, opts.out);
    }
  }
  return { count: anchors.length, sha256: sha256Hex(bytes), format, out: opts.out ?? null };
}

function describe(r: AnchorsResult): string {
  return r.out === null
    ? `${r.count} anchors, sha256 ${r.sha256} (float32 little-endian [${r.count}, 4])`
    : `${r.count} anchors, sha256 ${r.sha256}, written to ${r.out}`;
}

function formatFor(out: string): AnchorFormat {
  const format = anchorFormatForPath(out);
  if (format === undefined) {
    throw new BlazefaceError(`unknown table format: the extension must be ${ANCHOR_FORMATS.map((f) => `.${f}`).join(', ')}`, out);
  }
  return format;
}

/**
 * A registry id needs no model file; a path is matched to the registry by its sha256, and a
 * detector file the registry does not know gets the anchors inferred from its graph.
 */
function modelOptions(ref: string): AnchorOptions {
  if ((MODEL_IDS as readonly string[]).includes(ref)) return modelAnchorOptions(getModel(ref));
  const ctx = loadModelContext(loadModelFile(ref));
  if (!ctx.detector)
    throw new RegistryError(
      `is not an SSD detector${ctx.undecodable ? ` (${ctx.undecodable})` : ''}, so its anchor options are unknown; pass them with --config`,
      ref,
    );
  return anchorOptionsFromJson(ctx.detector.anchors, `${ref} (anchors ${ctx.detector.origin.anchors})`);
}

function readConfig(path: string): AnchorOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BlazefaceError(`cannot read the config: ${(e as Error).message}`, path);
  }
  return anchorOptionsFromJson(parseJsonFile(text, path), path);
}
