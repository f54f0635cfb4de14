/**
 * The MediaPipe preprocessing must run unchanged in a browser: nothing it loads at run time
 * (type-only imports are erased) may be a Node module, a package, or use Node's globals.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENTRY_POINTS = ['src/image/perspective-transform.ts', 'src/image/warp-perspective.ts', 'src/image/image-to-tensor.ts', 'src/image/letterbox-removal.ts'];

/** Specifiers of the imports and re-exports that survive compilation. */
function runtimeImports(source: string): string[] {
  const statements = source.match(/^(?:import|export)\s[^;]*?from\s+'[^']+'/gms) ?? [];
  return statements.filter((s) => !/^(?:import|export)\s+type\s/.test(s)).map((s) => s.match(/from\s+'([^']+)'$/)![1]!);
}

/** Every file loaded at run time from the entry points, with what each one imports. */
function closure(entries: readonly string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const pending = entries.map((e) => resolve(e));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    const imports = runtimeImports(readFileSync(file, 'utf8'));
    seen.set(file, imports);
    for (const spec of imports) if (spec.startsWith('.')) pending.push(join(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return seen;
}

describe('the MediaPipe preprocessing is browser-safe', () => {
  const files = closure(ENTRY_POINTS);

  it('loads only relative modules of this package', () => {
    expect(files.size).toBeGreaterThanOrEqual(ENTRY_POINTS.length);
    const outside = [...files].flatMap(([file, imports]) => imports.filter((s) => !s.startsWith('.')).map((s) => `${relative('.', file)} imports ${s}`));
    expect(outside).toEqual([]);
  });

  it("uses none of Node's globals", () => {
    const users = [...files.keys()].filter((file) =>
      /\b(?:Buffer|process|require|__dirname)\b/.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')),
    );
    expect(users.map((f) => relative('.', f))).toEqual([]);
  });

  it('sees through a type-only import but not a value import', () => {
    expect(runtimeImports("import type { A } from 'node:fs';\nimport { b } from './b.js';\nexport { c } from 'pkg';\n")).toEqual(['./b.js', 'pkg']);
  });
});
