import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/models/registry.js';
import { walkImportGraph } from './import-graph.js';

interface PackageJson {
  readonly exports: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
}

const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** The TypeScript source behind an `exports` entry's JavaScript file. */
function sourceOf(subpath: string): string {
  const target = packageJson.exports[subpath];
  const js = typeof target === 'string' ? target : target?.default;
  if (js === undefined) throw new Error(`package.json exports has no ${subpath}`);
  return join(PACKAGE_ROOT, js.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

describe('the browser-safe entry blazeface-convert/core', () => {
  it('reaches no Node module, Node-only package or Node global', () => {
    const graph = walkImportGraph(sourceOf('./core'), PACKAGE_ROOT);
    expect(graph.files).toContain('src/detect/decode-detections.ts');
    expect(graph.files).toContain('src/image/letterbox.ts');
    expect(graph.nodeDependencies).toEqual([]);
  });

  it('the walk finds what the Node entry imports, so it would catch a slip', () => {
    const graph = walkImportGraph(sourceOf('.'), PACKAGE_ROOT);
    const found = graph.nodeDependencies.map((d) => d.what);
    expect(found).toContain("import 'node:fs'");
    expect(found).toContain("import 'onnxruntime-node' (a package not known to run outside Node)");
    expect(found).toContain('uses process');
  });
});
