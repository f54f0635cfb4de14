import { readFileSync } from 'node:fs';
import { parseJsonFile } from '../io/json.js';
import { Command, Option } from 'commander';
import { anchorsToFloat32 } from '../anchors/anchor.js';
import { DEFAULT_MAX_ANCHORS, generateAnchors } from '../anchors/generate-anchors.js';
import { parseCount } from './numbers.js';
import { modelAnchorOptions } from '../models/anchor-tables.js';
import type { AnchorOptions } from '../anchors/options.js';
import { anchorOptionsFromJson } from '../anchors/options-json.js';
import { ANCHOR_FORMATS, anchorFormatForPath, encodeAnchors, type AnchorFormat } from '../anchors/write-anchors.js';
import { BlazefaceError, RegistryError } from '../ir/errors.js';
import { writeFileAtomically } from '../io/write-files.js';
import { getModel, loadModelFile, MODEL_IDS, type ModelEntry } from '../models/registry.js';
import { sha256Hex } from '../io/sha256.js';

interface AnchorsCommandOptions {
  readonly model?: string;
  readonly config?: string;
  readonly out?: string;
  readonly maxAnchors: number;
}

/** `blazeface anchors`: the anchor table of a registry model or of an options file. */
export function registerAnchorsCommand(program: Command): void {
  program
    .command('anchors')
    .description("generate a model's SSD anchor table exactly as MediaPipe's SsdAnchorsCalculator does")
    .addOption(new Option('--model <id|path>', `registry model id (${MODEL_IDS.join(', ')}) or a model file the registry knows`).conflicts('config'))
    .option('--config <file.json>', 'SsdAnchorsCalculatorOptions as a JSON object with MediaPipe field names')
    .option('--out <file>', `write the table; the extension picks the format (${ANCHOR_FORMATS.map((f) => `.${f}`).join(', ')})`)
    .option('--max-anchors <n>', 'refuse options that make more anchors than this', parseCount, DEFAULT_MAX_ANCHORS)
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
  const options = opts.config !== undefined ? readConfig(opts.config) : modelAnchorOptions(modelEntry(opts.model!));
  const anchors = generateAnchors(options, opts.maxAnchors);
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

/** A registry id needs no model file; a path is matched to the registry by its sha256. */
function modelEntry(ref: string): ModelEntry {
  if ((MODEL_IDS as readonly string[]).includes(ref)) return getModel(ref);
  const loaded = loadModelFile(ref);
  if (loaded.entry === undefined) {
    throw new RegistryError(`not a registry model (sha256 ${loaded.sha256}), so its anchor options are unknown; pass them with --config`, ref);
  }
  return loaded.entry;
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
