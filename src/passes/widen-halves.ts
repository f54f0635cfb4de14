/**
 * Float16 constants widened to float32 in WebAssembly (schemas/wasm/float16.wat), four at a
 * time: constant folding widens every float16 weight of a model each time it is read, and the
 * per-element table lookup of halvesToFloats (src/ir/float16.ts) was most of that. The bit
 * patterns are the table's, NaN payloads included.
 */
import { FLOAT16_WASM } from '../schema/wasm/float16.js';
import { instantiateKernels, kernelBuffer, type KernelInstance } from '../ir/wasm.js';

interface Kernels {
  widenHalves(src: number, dst: number, n: number): void;
}

let instance: KernelInstance<Kernels> | undefined;

/** halvesToFloats, bit for bit. */
export function widenHalves(halves: Uint16Array): Float32Array {
  instance ??= instantiateKernels<Kernels>(FLOAT16_WASM);
  // Whole four-lane vectors: the halves at 0, the floats after them on a 16-byte boundary.
  const vectors = Math.ceil(halves.length / 4);
  const floatsAt = Math.ceil(vectors / 2) * 16;
  const buffer = kernelBuffer(instance.memory, floatsAt + vectors * 16);
  new Uint16Array(buffer, 0, halves.length).set(halves);
  instance.widenHalves(0, floatsAt, halves.length);
  // A copy between arrays of one element type copies bytes, so every bit pattern survives.
  return new Float32Array(buffer, floatsAt, halves.length).slice();
}
