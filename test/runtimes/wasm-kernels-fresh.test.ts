import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { assembleKernel, REGENERATE_COMMAND, WASM_KERNELS } from '../../scripts/gen-wasm/assemble.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test.each(WASM_KERNELS.map((kernel) => [kernel.module, kernel] as const))('%s is what the assembler makes of its .wat source', async (module, kernel) => {
  const fresh = await assembleKernel(kernel, readFileSync(join(root, kernel.source), 'utf8'));
  expect(readFileSync(join(root, module), 'utf8') === fresh, `${module} is stale or was edited by hand: run ${REGENERATE_COMMAND}`).toBe(true);
});
