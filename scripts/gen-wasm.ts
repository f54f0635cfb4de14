/**
 * Regenerates the modules that hold the reference runtimes' WebAssembly kernels from their
 * text sources (scripts/gen-wasm/assemble.ts). `npm run gen-wasm` compiles this script alone
 * (scripts/gen-wasm/tsconfig.json) into .cache/gen-wasm, so it runs whatever state src/ is in;
 * the script finds the repository root from where it runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleKernel, WASM_KERNELS } from './gen-wasm/assemble.js';

function repositoryRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, WASM_KERNELS[0].source))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${WASM_KERNELS[0].source} above ${start}`);
  }
}

const root = repositoryRoot(dirname(fileURLToPath(import.meta.url)));
for (const kernel of WASM_KERNELS) {
  const module = await assembleKernel(kernel, readFileSync(join(root, kernel.source), 'utf8'));
  const path = join(root, kernel.module);
  if (existsSync(path) && readFileSync(path, 'utf8') === module) console.log(`${kernel.module} is up to date`);
  else {
    writeFileSync(path, module);
    console.log(`wrote ${kernel.module}`);
  }
}
