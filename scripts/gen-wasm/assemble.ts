/**
 * The WebAssembly kernels of the reference runtimes are written by hand in text format
 * (src/runtimes/*.wat) and committed twice: as that source, and assembled into a TypeScript
 * module holding the binary, which the runtime instantiates without reading a file. This is the
 * one assembler of both `npm run gen-wasm` and the test that the two copies agree.
 */
import wabt from 'wabt';

export const REGENERATE_COMMAND = 'npm run gen-wasm';

/** Each kernel source and the module generated from it. */
export const WASM_KERNELS = [
  { source: 'src/runtimes/conv-nchw.wat', module: 'src/runtimes/conv-nchw-wasm.ts', name: 'CONV_NCHW_WASM' },
  { source: 'src/runtimes/float32-ops.wat', module: 'src/runtimes/float32-ops-wasm.ts', name: 'FLOAT32_OPS_WASM' },
  { source: 'src/runtimes/mil/kernels.wat', module: 'src/runtimes/mil/kernels-wasm.ts', name: 'MIL_KERNELS_WASM' },
  { source: 'src/runtimes/reference/kernels/conv-nhwc.wat', module: 'src/runtimes/reference/kernels/conv-nhwc-wasm.ts', name: 'CONV_NHWC_WASM' },
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
      // laid out as Biome formats it, so the lint of the generated file passes
      `export const ${kernel.name} =`,
      `  '${Buffer.from(binary).toString('base64')}';`,
      '',
    ].join('\n');
  } finally {
    parsed.destroy();
  }
}
