import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replaceFolder, type OutputFile } from '../../src/io/output-set.js';
import { PACKAGE_ROOT } from '../../src/models/registry.js';
import { ensureBuilt } from '../support/cli.js';

/** A set of files and a manifest of their sha256, like a weight-file folder: a mix of two sets shows in the manifest. */
function outputSet(version: string, count: number, bytes: number): OutputFile[] {
  const files = Array.from({ length: count }, (_, i) => ({
    name: `m.weights/${String(i).padStart(3, '0')}-${version}.bin`,
    bytes: new Uint8Array(bytes).fill(version.charCodeAt(0) + i),
  }));
  const manifest = Object.fromEntries(files.map((f) => [f.name, createHash('sha256').update(f.bytes).digest('hex')]));
  return [...files, { name: 'm.weights/manifest.json', bytes: JSON.stringify(manifest) }, { name: `m.${version}.onnx`, bytes: version }];
}

/** The set found in `dir`, checked against its own manifest: `old`, `new`, or a description of what is wrong. */
function setIn(dir: string): string {
  if (!existsSync(dir)) return 'missing';
  const manifest = JSON.parse(readFileSync(join(dir, 'm.weights', 'manifest.json'), 'utf8')) as Record<string, string>;
  const bins = readdirSync(join(dir, 'm.weights')).filter((f) => f.endsWith('.bin'));
  if (bins.length !== Object.keys(manifest).length) return `${bins.length} files for a manifest of ${Object.keys(manifest).length}`;
  for (const [name, sha] of Object.entries(manifest)) {
    if (
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex') !== sha
    )
      return `${name} does not match the manifest`;
  }
  const onnx = readdirSync(dir).filter((f) => f.endsWith('.onnx'));
  return onnx.length === 1 && onnx[0] === `m.${bins[0]?.slice(4, -4)}.onnx` ? (bins[0]?.slice(4, -4) ?? '?') : `onnx files ${onnx.join(',')} beside ${bins[0]}`;
}

const litter = (parent: string): string[] => readdirSync(parent).filter((f) => f.startsWith('.'));

describe('replaceFolder', () => {
  it('replaces the whole set: files of the older set do not survive', () => {
    const parent = mkdtempSync(join(tmpdir(), 'set-'));
    const dir = join(parent, 'out');
    replaceFolder(dir, outputSet('old', 5, 10));
    replaceFolder(dir, outputSet('new', 3, 10));
    expect(setIn(dir)).toBe('new');
    expect(readdirSync(join(dir, 'm.weights'))).toHaveLength(4);
    expect(litter(parent)).toEqual([]);
  });

  it('refuses a folder holding files a conversion does not write, a file, and names that leave the folder', () => {
    const parent = mkdtempSync(join(tmpdir(), 'set-'));
    mkdirSync(join(parent, 'mine'));
    writeFileSync(join(parent, 'mine', 'notes.txt'), 'keep me');
    expect(() => replaceFolder(join(parent, 'mine'), outputSet('new', 1, 1))).toThrow(/holds notes\.txt/);
    expect(readFileSync(join(parent, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
    writeFileSync(join(parent, 'file'), '');
    expect(() => replaceFolder(join(parent, 'file'), outputSet('new', 1, 1))).toThrow(/not a folder/);
    expect(() => replaceFolder(join(parent, 'out'), [{ name: '../escape.onnx', bytes: '' }])).toThrow(/leaves the output folder/);
    expect(existsSync(join(parent, 'escape.onnx'))).toBe(false);
    expect(litter(parent)).toEqual([]);
  });

  it('leaves the old or the new set when killed at any point, and no litter after the next run', async () => {
    ensureBuilt();
    const parent = mkdtempSync(join(tmpdir(), 'set-kill-'));
    const dir = join(parent, 'out');
    replaceFolder(dir, outputSet('old', 40, 64 * 1024));
    const child = join(parent, 'child.mjs');
    writeFileSync(
      child,
      [
        `import { replaceFolder } from ${JSON.stringify(pathToFileURL(join(PACKAGE_ROOT, 'dist', 'src', 'io', 'output-set.js')).href)};`,
        `const files = Array.from({ length: 40 }, (_, i) => ({ name: 'm.weights/' + String(i).padStart(3, '0') + '-new.bin', bytes: new Uint8Array(65536).fill(110 + i) }));`,
        `const { createHash } = await import('node:crypto');`,
        `const manifest = Object.fromEntries(files.map((f) => [f.name, createHash('sha256').update(f.bytes).digest('hex')]));`,
        `for (;;) {`,
        `  replaceFolder(${JSON.stringify(dir)}, [...files, { name: 'm.weights/manifest.json', bytes: JSON.stringify(manifest) }, { name: 'm.new.onnx', bytes: 'new' }]);`,
        `  process.stdout.write('.');`,
        `}`,
      ].join('\n'),
    );
    const seen = new Map<string, number>();
    for (let kill = 0; kill < 25; kill++) {
      const proc = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'ignore'] });
      // Half the kills come after the child has swapped in a set at least once (how long start-up
      // takes depends on the machine's load), half at any moment from start-up on.
      const swapped = new Promise((r) => proc.stdout.once('data', r));
      if (kill % 2 === 1) await swapped;
      await new Promise((r) => setTimeout(r, kill % 2 === 1 ? (kill * 7) % 40 : 20 + ((kill * 53) % 300)));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      const state = setIn(dir);
      const staged = readdirSync(parent).filter((f) => f.startsWith('.out.partial-') && existsSync(join(parent, f, '.blazeface-complete')));
      expect(state === 'old' || state === 'new' || (state === 'missing' && staged.length === 1), `after kill ${kill}: ${state}`).toBe(true);
      seen.set(state, (seen.get(state) ?? 0) + 1);
      replaceFolder(dir, outputSet(state === 'new' ? 'new' : 'old', 40, 64 * 1024));
      expect(litter(parent)).toEqual([]);
    }
    expect(seen.get('new') ?? 0, JSON.stringify([...seen])).toBeGreaterThan(0);
    expect(seen.get('old') ?? 0, JSON.stringify([...seen])).toBeGreaterThan(0);
  });
});
