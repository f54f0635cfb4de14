import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Globals a browser does not have; using one is as Node-only as importing `node:fs`. */
const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename', 'require', 'global', 'module']);

const GLOBAL_WORD = new RegExp(`\\b(?:${[...NODE_GLOBALS].join('|')})\\b`);

const BUILTINS = new Set(builtinModules);

export interface NodeDependency {
  /** The file that imports or uses it, relative to `root`. */
  readonly file: string;
  /** `import 'node:fs'`, `import 'onnxruntime-node'`, `uses process`. */
  readonly what: string;
}

export interface ImportGraph {
  /** Every source file reached, relative to `root`. */
  readonly files: readonly string[];
  readonly nodeDependencies: readonly NodeDependency[];
}

/**
 * Walks the runtime imports of a TypeScript entry file: each file is transpiled as the build
 * would (so imports used only as types, which the emitted JavaScript drops, do not count) and
 * its static and dynamic imports followed. Reports Node builtins (with or without `node:`),
 * any package not in `allowedPackages`, and free uses of Node globals.
 */
export function walkImportGraph(entry: string, root: string, allowedPackages: readonly string[] = []): ImportGraph {
  const seen = new Set<string>();
  const nodeDependencies: NodeDependency[] = [];
  const pending = [resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const name = relative(root, file);
    const { specifiers, globals } = fileFacts(file);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        continue;
      }
      const bare = specifier.replace(/^node:/, '');
      const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      if (specifier.startsWith('node:') || BUILTINS.has(bare) || BUILTINS.has(packageName)) {
        nodeDependencies.push({ file: name, what: `import '${specifier}'` });
      } else if (!allowedPackages.includes(packageName)) {
        nodeDependencies.push({ file: name, what: `import '${specifier}' (a package not known to run outside Node)` });
      }
    }
    for (const global of globals) nodeDependencies.push({ file: name, what: `uses ${global}` });
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), nodeDependencies };
}

interface FileFacts {
  /** Runtime import specifiers, static and dynamic, as written. */
  readonly specifiers: readonly string[];
  readonly globals: readonly string[];
}

/**
 * What one source file contributes, by path: the walks of several entries in one test run
 * share most files, and transpiling a file is the walk's whole cost. Keyed by the file's text
 * too, so an edit between walks is never answered from an older text.
 */
const factsByFile = new Map<string, { readonly text: string; readonly facts: FileFacts }>();

function fileFacts(file: string): FileFacts {
  const text = readFileSync(file, 'utf8');
  const known = factsByFile.get(file);
  if (known?.text === text) return known.facts;
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true },
    fileName: file,
  }).outputText;
  const facts = { specifiers: ts.preProcessFile(js, true, true).importedFiles.map((f) => f.fileName), globals: freeNodeGlobals(js) };
  factsByFile.set(file, { text, facts });
  return facts;
}

/** Node globals used as values (not as property names or declarations) in a JavaScript text. */
function freeNodeGlobals(js: string): string[] {
  // Parsing is the cost; a text that never spells a global's name cannot use it.
  if (!GLOBAL_WORD.test(js)) return [];
  const found = new Set<string>();
  const source = ts.createSourceFile('module.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text) && isFreeReference(node)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found];
}

function isFreeReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === node)
    return false;
  return true;
}
