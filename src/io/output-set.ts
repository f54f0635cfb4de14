import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../ir/errors.js';

/** Written last into a staged folder: its presence says every file of the set is complete. */
const COMPLETE = '.blazeface-complete';

/** Names a conversion writes into its folder; a folder holding anything else is not ours to replace. */
const ARTIFACT = /^(\.blazeface-complete|.+\.(onnx|mlmodel|mlpackage|weights|json|npy|png))$/;

export interface OutputFile {
  /** Path inside the folder, `/`-separated. */
  readonly name: string;
  readonly bytes: Uint8Array | string;
}

/**
 * Replaces the folder `dir` with exactly `files`, as a whole: the new set is written into a
 * hidden sibling folder, marked complete, and only then swapped in for the old one, so a reader
 * (or a run killed at any point) finds the old set or the new set, never a mix, and no file of
 * an older conversion survives beside the new one. Between the two renames of the swap there is
 * no folder at `dir` for an instant; a run killed exactly there leaves the complete new set
 * staged, and the next run moves it into place before anything else.
 *
 * A folder that holds files a conversion does not write is refused rather than replaced.
 */
export function replaceFolder(dir: string, files: readonly OutputFile[]): string[] {
  const target = resolve(dir);
  const parent = dirname(target);
  const name = basename(target);
  mkdirSync(parent, { recursive: true });
  recoverStale(parent, name);
  if (existsSync(target)) refuseForeign(dir, target);

  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staged = join(parent, `.${name}.partial-${tag}`);
  const old = join(parent, `.${name}.old-${tag}`);
  try {
    mkdirSync(staged);
    for (const file of files) {
      const path = join(staged, file.name);
      if (!resolve(path).startsWith(`${staged}/`)) throw new InputError(`output name ${JSON.stringify(file.name)} leaves the output folder`, dir);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.bytes);
    }
    writeFileSync(join(staged, COMPLETE), '');
    const hadOld = existsSync(target);
    if (hadOld) renameSync(target, old);
    renameSync(staged, target);
    if (hadOld) rmSync(old, { recursive: true, force: true });
    rmSync(join(target, COMPLETE), { force: true });
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
  return files.map((file) => join(dir, file.name));
}

function refuseForeign(dir: string, target: string): void {
  if (!lstatSync(target).isDirectory()) throw new InputError('exists and is not a folder', dir);
  const foreign = readdirSync(target).find((entry) => !ARTIFACT.test(entry));
  if (foreign !== undefined) throw new InputError(`holds ${foreign}, which a conversion does not write; choose an empty or new folder`, dir);
}

/**
 * Cleans what killed runs left beside `name`: a staged set that was complete when its run died
 * in the middle of the swap is moved into place (the old set it replaced goes); every other
 * leftover of a process that is gone is removed.
 */
function recoverStale(parent: string, name: string): void {
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}\\.(partial|old)-(\\d+)-[0-9a-f]+$`);
  const target = join(parent, name);
  const leftovers = readdirSync(parent).flatMap((entry) => {
    const match = pattern.exec(entry);
    const pid = Number(match?.[2]);
    return match && !alive(pid) ? [{ path: join(parent, entry), kind: match[1] }] : [];
  });
  for (const { path, kind } of leftovers) {
    if (kind === 'partial' && !existsSync(target) && existsSync(join(path, COMPLETE))) {
      renameSync(path, target);
      rmSync(join(target, COMPLETE), { force: true });
    }
  }
  for (const { path } of leftovers) rmSync(path, { recursive: true, force: true });
  if (leftovers.length > 0) rmSync(join(target, COMPLETE), { force: true });
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
