/**
 * What every command shares: the exit codes, `--json`/`--quiet`/`--model`, the one place
 * results and skipped checks are printed, and file writing that fails as bad input, not as a bug.
 */
import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { BlazefaceError } from '../ir/errors.js';
import { MODEL_IDS } from '../models/registry.js';

/** The exit codes, documented in the README: 1 is left to bugs (anything not listed here). */
export const EXIT = { ok: 0, badInput: 2, parityFailure: 3 } as const;

/** A usage mistake commander cannot see: flags that do not go together, a folder given as a file. */
export class UsageError extends BlazefaceError {}

export interface OutputOptions {
  readonly json?: boolean;
  readonly quiet?: boolean;
}

export function addOutputOptions(command: Command): Command {
  return command
    .option('--json', 'print the result as one JSON document on stdout')
    .option('--quiet', 'print nothing but errors and failures (the exit code tells the rest)');
}

export function modelOption(options: { readonly defaultId?: string; readonly required?: boolean } = {}): Option {
  const option = new Option('--model <id|path>', `registry id (${MODEL_IDS.join(', ')}) or a .tflite file`);
  if (options.defaultId !== undefined) option.default(options.defaultId);
  if (options.required) option.makeOptionMandatory();
  return option;
}

/**
 * The text a command prints: result lines and one `skipped: ...` line per check it could not
 * run go to stdout, unless `--quiet` or `--json` (where skips are part of the document);
 * failures also go to stderr under `--quiet`, so a failing run never ends silently.
 */
export class Printer {
  readonly skipped: string[] = [];

  constructor(private readonly options: OutputOptions) {}

  line(text: string): void {
    if (!this.options.json && !this.options.quiet) process.stdout.write(`${text}\n`);
  }

  skip(text: string): void {
    this.skipped.push(text);
    this.line(`skipped: ${text}`);
  }

  failure(text: string): void {
    if (this.options.quiet && !this.options.json) process.stderr.write(`${text}\n`);
  }

  json(value: unknown): void {
    if (this.options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

/** Refuses an output folder that is an existing file, before any work is done. */
export function checkNotAFile(path: string, what: string): void {
  let isFile = false;
  try {
    isFile = !statSync(path).isDirectory();
  } catch {
    return;
  }
  if (isFile) throw new UsageError(`${what} names a folder, and this is an existing file`, path);
}

/**
 * Runs a write into `dir` with a refused write (permissions, a file in the way, a full disk)
 * reported as bad input naming the folder, not as a bug.
 */
export function writingTo<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof BlazefaceError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    throw new BlazefaceError(`cannot write the output: ${(code && WRITE_ERRORS[code]) ?? message}`, dir);
  }
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a file is in the way of a folder on the path',
  EEXIST: 'a file is in the way of a folder on the path',
  EISDIR: 'a folder is in the way of an output file',
};
