/**
 * Loading the reference runtimes' WebAssembly kernels: each source in schemas/wasm/*.wat is
 * assembled into a generated module in src/schema/wasm/ (`npm run gen-wasm`) that holds the
 * binary as base64, so nothing is read from disk. One instance per module serves the process; its memory grows to
 * the largest call and stays.
 */

/** The part of the WebAssembly API used here: the type library for Node declares none of it. */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => unknown;
  readonly Instance: new (module: unknown) => { readonly exports: unknown };
}

export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A kernel module's exports: its functions `T` and its memory. */
export type KernelInstance<T> = T & { readonly memory: KernelMemory };

/** Instantiates a kernel module (base64). */
export function instantiateKernels<T extends object>(base64: string): KernelInstance<T> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return new wasm.Instance(new wasm.Module(bytes)).exports as KernelInstance<T>;
}

/** The memory's buffer, grown first to hold `bytes`; a growth detaches views made before it. */
export function kernelBuffer(memory: KernelMemory, bytes: number): ArrayBuffer {
  const short = bytes - memory.buffer.byteLength;
  if (short > 0) memory.grow(Math.ceil(short / 65536));
  return memory.buffer;
}
