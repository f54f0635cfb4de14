import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BlazefaceError } from '../ir/errors.js';
import type { DetectorOverrides } from '../convert/resolve-detector.js';

/** `--anchors` and `--decoding`: option files that replace the registry's or the inferred options. */
export interface DetectorOptionFlags {
  readonly anchors?: string;
  readonly decoding?: string;
}

export function addDetectorOptions(command: Command): Command {
  return command
    .option('--anchors <opts.json>', "SsdAnchorsCalculatorOptions (MediaPipe field names) replacing the registry's or the inferred anchors")
    .option('--decoding <opts.json>', "TensorsToDetectionsCalculatorOptions fields (MediaPipe names) laid over the registry's or the inferred ones");
}

export function readDetectorOverrides(flags: DetectorOptionFlags): DetectorOverrides {
  return {
    ...(flags.anchors !== undefined ? { anchors: { json: readJson(flags.anchors), where: flags.anchors } } : {}),
    ...(flags.decoding !== undefined ? { decoding: { json: readJson(flags.decoding), where: flags.decoding } } : {}),
  };
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BlazefaceError(`cannot read: ${(e as Error).message}`, path);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BlazefaceError(`not valid JSON: ${(e as Error).message}`, path);
  }
}
