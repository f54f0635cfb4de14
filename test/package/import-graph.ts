import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Globals a browser does not have; using one is as Node-only as importing `node:fs`. */
const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename', 'require', 'global', 'module']);

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
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true },
      fileName: file,
    }).outputText;
    for (const { fileName: specifier } of ts.preProcessFile(js, true, true).importedFiles) {
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
    for (const global of freeNodeGlobals(js)) nodeDependencies.push({ file: name, what: `uses ${global}` });
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), nodeDependencies };
}

/** Node globals used as values (not as property names or declarations) in a JavaScript text. */
function freeNodeGlobals(js: string): string[] {
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
