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

/**
 * Halves per kernel call: the kernel's memory stays at the largest call for the life of the
 * process, so a model's largest constant (up to --max-elements, which a user may raise) goes
 * through it in pieces of 1.5 MiB rather than at once.
 */
const CHUNK = 1 << 18;

/** halvesToFloats, bit for bit. */
export function widenHalves(halves: Uint16Array): Float32Array {
  instance ??= instantiateKernels<Kernels>(FLOAT16_WASM);
  const floats = new Float32Array(halves.length);
  // Whole four-lane vectors: the halves at 0, the floats after them on a 16-byte boundary.
  const vectors = Math.ceil(Math.min(halves.length, CHUNK) / 4);
  const floatsAt = Math.ceil(vectors / 2) * 16;
  const buffer = kernelBuffer(instance.memory, floatsAt + vectors * 16);
  for (let start = 0; start < halves.length; start += CHUNK) {
    const piece = halves.subarray(start, start + CHUNK);
    new Uint16Array(buffer, 0, piece.length).set(piece);
    instance.widenHalves(0, floatsAt, piece.length);
    // A copy between arrays of one element type copies bytes, so every bit pattern survives.
    floats.set(new Float32Array(buffer, floatsAt, piece.length), start);
  }
  return floats;
}
