import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importEdges, layerOf, layerViolations } from './import-graph.js';

const SRC = resolve('src');

describe('the import graph of src/', () => {
  const edges = importEdges(SRC);

  it('follows the pipeline: no import reaches a later layer or a sibling', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(layerViolations(SRC, edges)).toEqual([]);
  });

  it('has no cycle', () => {
    expect(importCycles(edges).map((c) => c.map((f) => relative(SRC, f)))).toEqual([]);
  });

  it('keeps the IR free of every other folder', () => {
    const outside = edges.filter((e) => layerOf(SRC, e.from) === 'ir' && layerOf(SRC, e.to) !== 'ir');
    expect(outside).toEqual([]);
  });

  it('keeps check/ out of the product: only the CLI imports it', () => {
    const users = edges.filter((e) => layerOf(SRC, e.to) === 'check' && !['check', 'cli'].includes(layerOf(SRC, e.from)));
    expect(users.map((e) => relative(SRC, e.from))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  /** A throw-away tree: path → source. */
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'imports-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('report a backward import, a sibling import and an unknown folder', () => {
    const root = tree({
      'ir/graph.ts': "import { x } from '../passes/p.js';\n",
      'passes/p.ts': 'export const x = 1;\n',
      'emit/onnx/a.ts': "export { y } from '../coreml/b.js';\n",
      'emit/coreml/b.ts': 'export const y = 2;\n',
      'misc/m.ts': "const m = await import('../ir/graph.js');\n",
    });
    const problems = layerViolations(root, importEdges(root));
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/ir may not import passes/);
    expect(problems.join('\n')).toMatch(/emit\/onnx and emit\/coreml are sibling layers/);
    expect(problems.join('\n')).toMatch(/layer misc is not in the layer list/);
  });

  it('report a cycle', () => {
    const root = tree({ 'ir/a.ts': "import './b.js';\n", 'ir/b.ts': "import './c.js';\n", 'ir/c.ts': "import './a.js';\n" });
    expect(importCycles(importEdges(root)).map((c) => c.length)).toEqual([3]);
  });
});
