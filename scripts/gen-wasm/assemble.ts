/**
 * The WebAssembly kernels of the reference runtimes are written by hand in text format
 * (schemas/wasm/*.wat) and committed twice: as that source, and assembled into a TypeScript
 * module holding the binary, which the runtime instantiates without reading a file. This is the
 * one assembler of both `npm run gen-wasm` and the test that the two copies agree.
 */
import wabt from 'wabt';

export const REGENERATE_COMMAND = 'npm run gen-wasm';

/** Each kernel source and the module generated from it. */
export const WASM_KERNELS = [
  { source: 'schemas/wasm/conv-nchw.wat', module: 'src/schema/wasm/conv-nchw.ts', name: 'CONV_NCHW_WASM' },
  { source: 'schemas/wasm/float32-ops.wat', module: 'src/schema/wasm/float32-ops.ts', name: 'FLOAT32_OPS_WASM' },
  { source: 'schemas/wasm/mil-kernels.wat', module: 'src/schema/wasm/mil-kernels.ts', name: 'MIL_KERNELS_WASM' },
  { source: 'schemas/wasm/conv-nhwc.wat', module: 'src/schema/wasm/conv-nhwc.ts', name: 'CONV_NHWC_WASM' },
] as const;

/** The generated module for one kernel: its binary as base64, under `name`. */
export async function assembleKernel(kernel: (typeof WASM_KERNELS)[number], wat: string): Promise<string> {
  const assembler = await wabt();
  const parsed = assembler.parseWat(kernel.source, wat, { simd: true });
  try {
    parsed.validate();
    const binary = parsed.toBinary({}).buffer;
    return [
      `/** ${kernel.source}, assembled by \`${REGENERATE_COMMAND}\`: do not edit. */`,
      `export const ${kernel.name} =`,
      `  '${Buffer.from(binary).toString('base64')}';`,
      '',
    ].join('\n');
  } finally {
    parsed.destroy();
  }
}
