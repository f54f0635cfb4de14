import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The pipeline, lowest layer first. A module may import from its own layer and from layers
 * listed before it, never after: read → IR → passes → emitters → conversion → detection →
 * checks → CLI, with the runtimes in a layer of their own below conversion. Layers named in
 * one entry are siblings that may not import each other.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['ir'],
  ['flatbuffer'],
  ['schema'],
  ['coreml'],
  ['io'],
  ['anchors'],
  ['models'],
  ['image'],
  ['read'],
  ['passes'],
  ['emit'],
  ['emit/onnx', 'emit/coreml', 'emit/mlprogram', 'emit/weights'],
  ['runtimes'],
  ['runtimes/reference', 'runtimes/onnxruntime', 'runtimes/tflite', 'runtimes/coreml', 'runtimes/mil'],
  ['convert'],
  ['detect'],
  ['report'],
  ['serve'],
  ['check'],
  ['cli'],
  ['index'],
];

/** Layers with sub-layers: their files sit in a sub-layer, or directly in the folder as shared code. */
const NESTED = new Set(['emit', 'runtimes']);

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** The layer of a file under `root`: its folder, one level deeper for nested layers; `index` for top-level files. */
export function layerOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  if (parts.length === 1) return 'index';
  const [top = '', sub] = parts;
  return NESTED.has(top) && parts.length > 2 && sub ? `${top}/${sub}` : top;
}

/** Every relative import (static, re-export and dynamic) between .ts files under `root`. */
export function importEdges(root: string): ImportEdge[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      if (existsSync(target)) edges.push({ from: file, to: target });
    }
  }
  return edges;
}

/** Imports that go against the layer order, or between sibling layers. */
export function layerViolations(root: string, edges: readonly ImportEdge[], layers = LAYERS): string[] {
  const rank = new Map<string, number>();
  layers.forEach((names, index) => names.forEach((name) => rank.set(name, index)));
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const [a, b] = [layerOf(root, from), layerOf(root, to)];
    if (a === b) continue;
    const [ra, rb] = [rank.get(a), rank.get(b)];
    const where = `${relative(root, from)} → ${relative(root, to)}`;
    if (ra === undefined || rb === undefined) problems.push(`${where}: layer ${ra === undefined ? a : b} is not in the layer list`);
    else if (rb > ra) problems.push(`${where}: ${a} may not import ${b} (a later layer)`);
    else if (rb === ra) problems.push(`${where}: ${a} and ${b} are sibling layers`);
  }
  return problems;
}

/** Strongly connected components of more than one file: each is an import cycle. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1) cycles.push(component);
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return cycles;
}
