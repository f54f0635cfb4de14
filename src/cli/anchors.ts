import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { anchorsToFloat32 } from '../anchors/anchor.js';
import { generateAnchors } from '../anchors/generate-anchors.js';
import { modelAnchorOptions } from '../models/anchor-tables.js';
import type { AnchorOptions } from '../anchors/options.js';
import { anchorOptionsFromJson } from '../anchors/options-json.js';
import { ANCHOR_FORMATS, anchorFormatForPath, encodeAnchors, type AnchorFormat } from '../anchors/write-anchors.js';
import { BlazefaceError, RegistryError } from '../ir/errors.js';
import { writeFileAtomically } from '../io/write-files.js';
import { getModel, loadModelFile, MODEL_IDS } from '../models/registry.js';
import { loadModelContext } from '../convert/model-context.js';
import { sha256Hex } from '../io/sha256.js';

interface AnchorsCommandOptions {
  readonly model?: string;
  readonly config?: string;
  readonly out?: string;
}

/** `blazeface anchors`: the anchor table of a registry model or of an options file. */
export function registerAnchorsCommand(program: Command): void {
  program
    .command('anchors')
    .description("generate a model's SSD anchor table exactly as MediaPipe's SsdAnchorsCalculator does")
    .addOption(new Option('--model <id|path>', `registry model id (${MODEL_IDS.join(', ')}) or a detector's .tflite file (anchors inferred when the registry does not know it)`).conflicts('config'))
    .option('--config <file.json>', 'SsdAnchorsCalculatorOptions as a JSON object with MediaPipe field names')
    .option('--out <file>', `write the table; the extension picks the format (${ANCHOR_FORMATS.map((f) => `.${f}`).join(', ')})`)
    .addHelpText('after', '\nPrints the anchor count and the sha256 of the written bytes (without --out: of the raw float32 table).')
    .action(function (this: Command, opts: AnchorsCommandOptions) {
      if (opts.model === undefined && opts.config === undefined) this.error('error: give --model <id|path> or --config <file.json>');
      process.stdout.write(`${runAnchors(opts)}\n`);
    });
}

/** Generates the table, writes it when asked, and returns the line to print. */
function runAnchors(opts: AnchorsCommandOptions): string {
  // Check the output name before any work so a typo costs nothing and leaves no file.
  const format: AnchorFormat = opts.out === undefined ? 'bin' : formatFor(opts.out);
  const options = opts.config !== undefined ? readConfig(opts.config) : modelOptions(opts.model!);
  const anchors = generateAnchors(options);
  const bytes = encodeAnchors(anchorsToFloat32(anchors), format);
  const sha256 = sha256Hex(bytes);
  if (opts.out === undefined) return `${anchors.length} anchors, sha256 ${sha256} (float32 little-endian [${anchors.length}, 4])`;
  try {
    writeFileAtomically(opts.out, bytes);
  } catch (e) {
    throw new BlazefaceError(`cannot write the table: ${(e as Error).message}`, opts.out);
  }
  return `${anchors.length} anchors, sha256 ${sha256}, written to ${opts.out}`;
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
 * file the registry does not know gets the anchors inferred from its graph.
 */
function modelOptions(ref: string): AnchorOptions {
  if ((MODEL_IDS as readonly string[]).includes(ref)) return modelAnchorOptions(getModel(ref));
  const ctx = loadModelContext(loadModelFile(ref));
  if (!ctx.detector) throw new RegistryError(`is not an SSD detector${ctx.undecodable ? ` (${ctx.undecodable})` : ''}, so its anchor options are unknown; pass them with --config`, ref);
  return anchorOptionsFromJson(ctx.detector.anchors, `${ref} (anchors ${ctx.detector.origin.anchors})`);
}

function readConfig(path: string): AnchorOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BlazefaceError(`cannot read the config: ${(e as Error).message}`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BlazefaceError(`not valid JSON: ${(e as Error).message}`, path);
  }
  return anchorOptionsFromJson(json, path);
}
